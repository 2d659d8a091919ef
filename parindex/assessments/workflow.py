"""Who may change an assessment now, and, when nobody may, exactly why and until when.

The status vocabulary (one colour each, everywhere): draft → submitted → in_appraisal →
returned → explained → finalised → published. `TRANSITIONS` lists every allowed move; the
services call `move`. The lock functions turn a state and the unit's deadlines into a `Lock`
whose message tells people why they cannot edit (phase closed, already submitted, returned and
awaiting the unit, finalised) and until when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from parindex.assessments.models import Assessment
from parindex.core.formatting import format_date, format_datetime
from parindex.core.refusals import Refused
from parindex.rounds.models import Round

S = Assessment.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.DRAFT, S.IN_APPRAISAL, S.RETURNED, S.FINALISED}),
    S.IN_APPRAISAL: frozenset({S.RETURNED, S.FINALISED, S.DRAFT}),
    S.RETURNED: frozenset({S.EXPLAINED, S.FINALISED, S.DRAFT, S.IN_APPRAISAL}),
    S.EXPLAINED: frozenset({S.FINALISED, S.DRAFT, S.IN_APPRAISAL}),
    S.FINALISED: frozenset({S.IN_APPRAISAL, S.DRAFT, S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
}

# Whom the PAR office may reopen an assessment for: the unit (draft) or the appraisers.
REOPEN_TARGETS = (S.DRAFT, S.IN_APPRAISAL)


class WorkflowError(Refused):
    """The action is not allowed in the assessment's current state; the message says why."""

    default_code = "assessment.transition"


def move(assessment: Assessment, *, to: str) -> None:
    """Change the status if the workflow allows it (the caller saves), else WorkflowError."""
    if to not in TRANSITIONS[assessment.status]:
        raise WorkflowError(
            _("An assessment that is “%(status)s” cannot become “%(to)s”.")
            % {"status": S(assessment.status).label, "to": S(to).label}
        )
    assessment.status = to


@dataclass(frozen=True)
class Lock:
    """Why something cannot be edited now (code for tests, message for people)."""

    code: str
    message: str

    @property
    def refusal_code(self) -> str:
        """The code of the refusal the lock causes (`assessment.<code>`, docs/refusals.md)."""
        return f"assessment.{self.code}"


def _day(day: dt.date) -> str:
    return format_date(day)


def _round_lock(assessment: Assessment) -> Lock | None:
    round_ = assessment.round
    if round_.status == Round.Status.DRAFT:
        return Lock(
            "not_open",
            _("The round is still being prepared; self-assessment opens on %(date)s.")
            % {"date": _day(round_.self_assessment_opens_on)},
        )
    if round_.status == Round.Status.PUBLISHED or assessment.status == S.PUBLISHED:
        return Lock("published", _("The results are published; scores no longer change."))
    if round_.status == Round.Status.FINALISED:
        return Lock(
            "finalised",
            _("The round was finalised on %(at)s; scores no longer change.")
            % {"at": format_datetime(round_.finalised_at)},
        )
    return None


def _finalised_lock(assessment: Assessment) -> Lock:
    if assessment.approved_at:
        return Lock(
            "finalised",
            _(
                "Finalised on %(at)s and approved by the council on %(approved)s; only the PAR "
                "office can reopen it."
            )
            % {
                "at": format_datetime(assessment.finalised_at),
                "approved": format_datetime(assessment.approved_at),
            },
        )
    return Lock(
        "finalised",
        _("Finalised on %(at)s by %(who)s; only the PAR office can reopen it.")
        % {
            "at": format_datetime(assessment.finalised_at),
            "who": assessment.finalised_by or "—",
        },
    )


def self_lock(
    assessment: Assessment,
    *,
    today: dt.date,
    deadline: dt.date,
    explanation_deadline: dt.date | None = None,
) -> Lock | None:
    """Why the unit cannot change its self-assessment now (None: it can, until `deadline`)."""
    if lock := _round_lock(assessment):
        return lock
    round_ = assessment.round
    status = assessment.status
    if status == S.DRAFT:
        if today < round_.self_assessment_opens_on:
            return Lock(
                "not_open",
                _("Self-assessment opens on %(date)s.")
                % {"date": _day(round_.self_assessment_opens_on)},
            )
        if today > deadline:
            return Lock(
                "phase_closed",
                _(
                    "The self-assessment phase closed on %(date)s at 23:59; ask the PAR office "
                    "(phòng CCHC) for an extension."
                )
                % {"date": _day(deadline)},
            )
        return None
    if status == S.SUBMITTED:
        context = {
            "at": format_datetime(assessment.submitted_at),
            "who": assessment.submitted_by or "—",
            "date": _day(deadline),
        }
        if today <= deadline:
            return Lock(
                "submitted",
                _(
                    "Already submitted on %(at)s by %(who)s. To correct it, the unit head can "
                    "withdraw the submission until %(date)s at 23:59."
                )
                % context,
            )
        return Lock(
            "submitted",
            _(
                "Already submitted on %(at)s by %(who)s; the self-assessment phase closed on "
                "%(date)s."
            )
            % context,
        )
    if status == S.IN_APPRAISAL:
        return Lock(
            "in_appraisal",
            _("Submitted on %(at)s and under appraisal until %(date)s.")
            % {
                "at": format_datetime(assessment.submitted_at),
                "date": _day(round_.appraisal_closes_on),
            },
        )
    if status == S.RETURNED:
        return Lock(
            "returned",
            _(
                "Returned for explanation: the scores stay as submitted; answer the appraisers' "
                "requests on the explanations page by %(date)s at 23:59."
            )
            % {"date": _day(explanation_deadline or round_.explanation_closes_on)},
        )
    if status == S.EXPLAINED:
        return Lock(
            "explained",
            _("Explanations sent on %(at)s; awaiting the second appraisal (until %(date)s).")
            % {
                "at": format_datetime(assessment.explained_at),
                "date": _day(round_.second_appraisal_closes_on),
            },
        )
    return _finalised_lock(assessment)


def explanation_lock(assessment: Assessment, *, today: dt.date, deadline: dt.date) -> Lock | None:
    """Why the unit cannot answer explanation requests now (None: it can, until `deadline`)."""
    if lock := _round_lock(assessment):
        return lock
    status = assessment.status
    if status == S.RETURNED:
        if today > deadline:
            return Lock(
                "phase_closed",
                _(
                    "The explanation window closed on %(date)s at 23:59; ask the PAR office "
                    "(phòng CCHC) for an extension."
                )
                % {"date": _day(deadline)},
            )
        return None
    if status == S.EXPLAINED:
        return Lock(
            "explained",
            _("Explanations already sent on %(at)s by %(who)s; awaiting the second appraisal.")
            % {"at": format_datetime(assessment.explained_at), "who": assessment.explained_by},
        )
    if status == S.FINALISED:
        return _finalised_lock(assessment)
    return Lock(
        "no_requests", _("The appraisers have not returned this assessment for explanation.")
    )


def appraisal_stage(
    assessment: Assessment, *, today: dt.date, self_deadline: dt.date, explanation_deadline: dt.date
) -> tuple[int | None, Lock | None]:
    """Which appraisal (1 or 2) the appraisers can record now, or why they cannot."""
    if lock := _round_lock(assessment):
        return None, lock
    status = assessment.status
    if status == S.DRAFT:
        return None, Lock(
            "not_submitted",
            _("Not submitted yet: the unit has until %(date)s at 23:59.")
            % {"date": _day(self_deadline)},
        )
    if status in (S.SUBMITTED, S.IN_APPRAISAL):
        return 1, None
    if status == S.RETURNED:
        if today > explanation_deadline:
            return 2, None
        return None, Lock(
            "returned",
            _("Returned to the unit for explanation; awaiting its answers until %(date)s at 23:59.")
            % {"date": _day(explanation_deadline)},
        )
    if status == S.EXPLAINED:
        return 2, None
    return None, _finalised_lock(assessment)
