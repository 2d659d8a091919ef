"""Who hears of what: an inbox message and an e-mail on every transition, and deadline reminders.

`send_reminders` is run daily by cron (`parindex remind`). Before each deadline it reminds the
people who still have work (7, 3 and 1 days ahead) and once more when the work is overdue. Each
reminder has a key naming its round, phase, deadline and threshold, so running the job again,
or twice a day, sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment, Notification
from parindex.core.formatting import format_date
from parindex.rounds import deadlines
from parindex.rounds.models import Assignment, Extension, Phase, Round

log = logging.getLogger(__name__)

REMIND_DAYS = (1, 3, 7)

# Other apps' daily reminders (e.g. monitoring's task, report and finding deadlines), registered
# from their AppConfig.ready(): each is called with the day and returns how many it sent.
REMINDER_SOURCES: list[Callable[[dt.date], int]] = []


def register_reminders(source: Callable[[dt.date], int]) -> None:
    """Have `parindex remind` also run `source(today)` (registering twice changes nothing)."""
    if source not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(source)


def notify(users: Iterable[User], *, subject: str, body: str, url: str, key: str = "") -> int:
    """Put a message in each user's inbox and e-mail it; with a key, each user gets it once."""
    sent = 0
    site = settings.SITE_URL
    for user in {user.pk: user for user in users if user.is_active}.values():
        if key:
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        user=user, subject=subject, body=body, url=url, key=key
                    )
            except IntegrityError:
                continue
        else:
            Notification.objects.create(user=user, subject=subject, body=body, url=url)
        sent += 1
        if user.email:
            try:
                send_mail(subject, f"{body}\n\n{site}{url}\n", None, [user.email])
            except OSError:  # a mail server down must not undo the work being recorded
                log.exception("could not e-mail %s", user.email)
    return sent


def unit_people(unit_ids: Iterable[int], *roles: str) -> list[User]:
    """The active officers of some units (editors and heads unless roles are given)."""
    wanted = roles or (Role.UNIT_EDITOR, Role.UNIT_HEAD)
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__unit_id__in=list(unit_ids),
            role_assignments__role__in=wanted,
        ).distinct()
    )


def role_people(*roles: str) -> list[User]:
    """The active holders of unscoped roles (office, council)."""
    return list(User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct())


def appraisers_of(assessment: Assessment) -> list[User]:
    """The appraisers assigned to any area of the assessment's unit in its round."""
    return list(
        User.objects.filter(
            appraisal_assignments__round_id=assessment.round_id,
            appraisal_assignments__unit_id=assessment.unit_id,
            is_active=True,
        ).distinct()
    )


def _url(assessment: Assessment, name: str = "assessments:detail") -> str:
    return reverse(name, args=[assessment.pk])


def _send(users: Iterable[User], subject: str, body: str, url: str) -> None:
    # Callers build the texts under override(LANGUAGE_CODE): messages are stored in the site's
    # language (Vietnamese), whatever language the acting user's browser asked for.
    notify(users, subject=str(subject), body=str(body), url=url)


def round_opened(round_: Round) -> None:
    unit_ids = list(round_.assessments.values_list("unit_id", flat=True))
    with override(settings.LANGUAGE_CODE):
        notify(
            unit_people(unit_ids),
            subject=_("Self-assessment round %(round)s is open") % {"round": round_.name},
            body=_("Enter your unit's self-assessment and evidence from %(start)s to %(end)s.")
            % {
                "start": format_date(round_.self_assessment_opens_on),
                "end": format_date(round_.self_assessment_closes_on),
            },
            url=reverse("assessments:mine"),
        )


def submitted(assessment: Assessment) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            [*appraisers_of(assessment), *role_people(Role.PAR_OFFICER)],
            _("%(unit)s submitted its self-assessment") % {"unit": assessment.unit},
            _("%(unit)s submitted its self-assessment for %(round)s; it awaits appraisal.")
            % {"unit": assessment.unit, "round": assessment.round.name},
            reverse("assessments:queue"),
        )


def withdrawn(assessment: Assessment) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            [*appraisers_of(assessment), *unit_people([assessment.unit_id])],
            _("%(unit)s withdrew its self-assessment") % {"unit": assessment.unit},
            _("The submission was withdrawn to be corrected; it will be submitted again."),
            _url(assessment),
        )


def returned(assessment: Assessment, requests: int) -> None:
    dates = _deadline(assessment, Phase.EXPLANATION)
    with override(settings.LANGUAGE_CODE):
        _send(
            unit_people([assessment.unit_id]),
            _("Explanation requested: %(n)d item(s) of %(round)s")
            % {"n": requests, "round": assessment.round.name},
            _("The appraisers ask %(unit)s to explain %(n)d item(s). Answer by %(date)s.")
            % {"unit": assessment.unit, "n": requests, "date": format_date(dates)},
            _url(assessment, "assessments:explanations"),
        )


def explained(assessment: Assessment) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            appraisers_of(assessment),
            _("%(unit)s sent its explanations") % {"unit": assessment.unit},
            _("The explanations of %(unit)s await the second appraisal.")
            % {"unit": assessment.unit},
            reverse("assessments:queue"),
        )


def finalised(assessment: Assessment) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            [*unit_people([assessment.unit_id]), *role_people(Role.COUNCIL)],
            _("Appraisal of %(unit)s finalised") % {"unit": assessment.unit},
            _("The appraised scores of %(unit)s in %(round)s await the council's approval.")
            % {"unit": assessment.unit, "round": assessment.round.name},
            _url(assessment),
        )


def approved(assessment: Assessment) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            unit_people([assessment.unit_id]),
            _("Council approved the scores of %(unit)s") % {"unit": assessment.unit},
            _("The appraisal council approved the final scores of %(round)s.")
            % {"round": assessment.round.name},
            _url(assessment),
        )


def sent_back(assessment: Assessment, reason: str) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            appraisers_of(assessment),
            _("Council sent back the appraisal of %(unit)s") % {"unit": assessment.unit},
            _("Reason: %(reason)s") % {"reason": reason},
            reverse("assessments:queue"),
        )


def reopened(assessment: Assessment, reason: str) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            [*unit_people([assessment.unit_id]), *appraisers_of(assessment)],
            _("Assessment of %(unit)s reopened") % {"unit": assessment.unit},
            _("The PAR office reopened the assessment. Reason: %(reason)s") % {"reason": reason},
            _url(assessment),
        )


def extension_granted(extension: Extension) -> None:
    with override(settings.LANGUAGE_CODE):
        _send(
            unit_people([extension.unit_id]),
            _("Deadline extended until %(date)s") % {"date": format_date(extension.until_on)},
            _("%(phase)s of %(round)s: extended until %(date)s. Reason: %(reason)s")
            % {
                "phase": Phase(extension.phase).label,
                "round": extension.round.name,
                "date": format_date(extension.until_on),
                "reason": extension.reason,
            },
            reverse("assessments:mine"),
        )


def _deadline(assessment: Assessment, phase: str) -> dt.date:
    extensions = deadlines.extensions_of(assessment.round, assessment.unit_id)
    return deadlines.deadline(assessment.round, assessment.unit_id, phase, extensions)


# --- reminders -------------------------------------------------------------------------------


@transaction.atomic
def remind_unit(*, assessment: Assessment, by: User) -> int:
    """Remind a unit's officers now that its self-assessment is late (the office's button on the
    dashboard); unlike the daily reminders it may be sent again. Returns how many were told."""
    from parindex.core import audit

    extensions = deadlines.extensions_of(assessment.round)
    due = deadlines.deadline(
        assessment.round, assessment.unit_id, Phase.SELF_ASSESSMENT, extensions
    )
    with override(settings.LANGUAGE_CODE):
        context = {
            "round": assessment.round.name,
            "unit": assessment.unit,
            "date": format_date(due),
        }
        sent = notify(
            unit_people([assessment.unit_id]),
            subject=_("Reminder: the self-assessment of %(unit)s is late") % context,
            body=_(
                "The PAR office reminds you that the self-assessment of %(unit)s for %(round)s "
                "was due on %(date)s and has not been submitted yet."
            )
            % context,
            url=_url(assessment),
        )
    audit.record(
        assessment, "assessment.reminded", by=by, new={"recipients": sent, "deadline": str(due)}
    )
    return sent


S = Assessment.Status

# phase -> (statuses with work pending, who does it)
PENDING: dict[str, tuple[tuple[str, ...], str]] = {
    Phase.SELF_ASSESSMENT: ((S.DRAFT,), "unit"),
    Phase.EXPLANATION: ((S.RETURNED,), "unit"),
    Phase.APPRAISAL: ((S.SUBMITTED, S.IN_APPRAISAL), "appraisers"),
    Phase.SECOND_APPRAISAL: ((S.EXPLAINED,), "appraisers"),
    Phase.COUNCIL: ((S.FINALISED,), "council"),
}


def _threshold(days_left: int) -> str | None:
    """Which reminder is due: the nearest of 7/3/1 days ahead, 'overdue', or None (too early)."""
    if days_left < 0:
        return "overdue"
    for days in REMIND_DAYS:
        if days_left <= days:
            return f"d{days}"
    return None


def send_reminders(today: dt.date | None = None) -> int:
    """Remind everyone with pending work of each deadline ahead and of overdue work; idempotent."""
    today = today or deadlines.today()
    sent = 0
    for round_ in Round.objects.filter(status=Round.Status.OPEN):
        if today < round_.self_assessment_opens_on:
            continue
        extensions = deadlines.extensions_of(round_)
        assessments = list(
            Assessment.objects.filter(round=round_)
            .exclude(status=S.PUBLISHED)
            .select_related("unit")
            .order_by("unit__code")
        )
        assignments: dict[int, set[int]] = defaultdict(set)
        for unit_id, appraiser_id in Assignment.objects.filter(round=round_).values_list(
            "unit_id", "appraiser_id"
        ):
            assignments[unit_id].add(appraiser_id)
        # (recipient kind, recipient id or unit id, phase, deadline, threshold) -> units
        batches: dict[tuple[str, int, str, dt.date, str], list[Any]] = defaultdict(list)
        for assessment in assessments:
            for phase, (statuses, who) in PENDING.items():
                if assessment.status not in statuses:
                    continue
                if phase == Phase.COUNCIL and assessment.approved_at:
                    continue
                due = deadlines.deadline(round_, assessment.unit_id, phase, extensions)
                threshold = _threshold(deadlines.days_left(due, today))
                if threshold is None:
                    continue
                if who == "unit":
                    batches[("unit", assessment.unit_id, phase, due, threshold)].append(assessment)
                elif who == "appraisers":
                    for appraiser_id in assignments[assessment.unit_id]:
                        batches[("user", appraiser_id, phase, due, threshold)].append(assessment)
                else:
                    batches[("council", 0, phase, due, threshold)].append(assessment)
        sent += _send_batches(round_, batches, today)
    for source in REMINDER_SOURCES:
        sent += source(today)
    return sent


def _send_batches(round_: Round, batches: dict, today: dt.date) -> int:
    sent = 0
    users = {user.pk: user for user in User.objects.filter(is_active=True)}
    council = role_people(Role.COUNCIL)
    with override(settings.LANGUAGE_CODE):
        for (kind, ident, phase, due, threshold), pending in batches.items():
            if kind == "unit":
                recipients = unit_people([ident])
                url = (
                    reverse("assessments:explanations", args=[pending[0].pk])
                    if phase == Phase.EXPLANATION
                    else reverse("assessments:detail", args=[pending[0].pk])
                )
            elif kind == "user":
                recipients = [users[ident]] if ident in users else []
                url = reverse("assessments:queue")
            else:
                recipients = council
                url = reverse("assessments:council", args=[round_.pk])
            names = ", ".join(str(assessment.unit) for assessment in pending[:20])
            context = {
                "phase": Phase(phase).label,
                "round": round_.name,
                "date": format_date(due),
                "days": deadlines.days_left(due, today),
                "units": names,
            }
            if threshold == "overdue":
                subject = _("Overdue: %(phase)s of %(round)s (deadline %(date)s)") % context
                body = (
                    _(
                        "The deadline of %(date)s has passed and this work is still pending: "
                        "%(units)s."
                    )
                    % context
                )
            else:
                subject = _("Reminder: %(phase)s of %(round)s is due on %(date)s") % context
                body = _("%(days)s day(s) left until %(date)s. Still pending: %(units)s.") % context
            key = f"remind:{round_.pk}:{phase}:{kind}:{ident}:{due.isoformat()}:{threshold}"
            sent += notify(recipients, subject=subject, body=body, url=url, key=key)
    return sent


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's messages read."""
    from django.utils import timezone

    messages = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        messages = messages.filter(pk__in=list(ids))
    return messages.update(read_at=timezone.now())
