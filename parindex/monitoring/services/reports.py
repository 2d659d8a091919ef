"""Writes for the reporting regime: report types, units' submissions, returns for quality."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.core import audit
from parindex.core.refusals import Problems
from parindex.indexsets.problems import error_message
from parindex.monitoring.models import ReportType, Submission
from parindex.monitoring.services.common import Refused, locked_save, site_language, tell_units
from parindex.units.models import Unit, UnitType


def check_report_type(
    *,
    code: str,
    title: str,
    frequency: str,
    due_day: int | None,
    unit_types: Iterable[str],
    report_type: ReportType | None = None,
) -> Problems:
    """Every problem with a report type's values."""
    problems = Problems()
    if not code:
        problems.add(_("Give the report type a code."), code="report_type.no_code")
    elif ReportType.objects.filter(code=code).exclude(
        pk__in=[report_type.pk] if report_type else []
    ):
        problems.add(
            _("A report type with the code %(code)s already exists.") % {"code": code},
            code="report_type.code_taken",
        )
    if not title.strip():
        problems.add(_("Give the report's title."), code="report_type.no_title")
    if frequency not in ReportType.Frequency.values:
        problems.add(
            _("The frequency must be one of %(allowed)s, not “%(value)s”.")
            % {"allowed": ", ".join(ReportType.Frequency.values), "value": frequency},
            code="report_type.bad_frequency",
        )
    if due_day is None or not 1 <= due_day <= 31:
        problems.add(
            _("The due day must be a day of the month from 1 to 31."),
            code="report_type.bad_due_day",
        )
    types = list(unit_types)
    if not types:
        problems.add(
            _("Name the unit types that send the report."), code="report_type.no_unit_types"
        )
    known = set(UnitType.objects.filter(code__in=types).values_list("code", flat=True))
    if unknown := [code for code in types if code not in known]:
        problems.add(
            _("Unknown unit type(s): %(codes)s.") % {"codes": ", ".join(unknown)},
            code="report_type.unknown_unit_types",
        )
    return problems


@transaction.atomic
def save_report_type(
    *,
    by: User | None,
    code: str,
    title: str,
    frequency: str,
    due_day: int,
    unit_types: Iterable[str],
    legal_basis: str = "",
    is_active: bool = True,
    report_type: ReportType | None = None,
) -> tuple[ReportType, bool]:
    """Create a report type, or change one (by code when `report_type` is not given).

    Returns (report type, whether anything changed). Submissions keep the due date they had
    when they were sent."""
    types = sorted(set(unit_types))
    if report_type is None:
        report_type = ReportType.objects.filter(code=code).first()
    if problems := check_report_type(
        code=code,
        title=title,
        frequency=frequency,
        due_day=due_day,
        unit_types=types,
        report_type=report_type,
    ):
        raise Refused(problems.texts, code="report_type.invalid", codes=problems.codes)
    values = {
        "code": code,
        "title": title.strip(),
        "legal_basis": legal_basis.strip(),
        "frequency": frequency,
        "due_day": due_day,
        "is_active": is_active,
    }
    created = report_type is None
    if report_type is None:
        report_type = ReportType.objects.create(**values)
        old: dict[str, Any] = {}
        new: dict[str, Any] = dict(values)
    else:
        old, new = audit.changes(report_type, list(values), values)
        for key, value in values.items():
            setattr(report_type, key, value)
        report_type.save()
    current = sorted(report_type.unit_types.values_list("code", flat=True))
    if current != types:
        report_type.unit_types.set(UnitType.objects.filter(code__in=types))
        old["unit_types"], new["unit_types"] = current, types
    if created or new:
        audit.record(
            report_type,
            "report_type.created" if created else "report_type.changed",
            by=by,
            old=old or None,
            new=new,
        )
    return report_type, created or bool(new)


def due_on(report_type: ReportType, period: str) -> dt.date:
    """The due date of one period of a report type; Refused (in Vietnamese) if the period is
    malformed or of another frequency."""
    try:
        return engine.period_due(period, report_type.frequency, report_type.due_day)
    except engine.EngineError as error:
        raise Refused(error_message(error), code="report.period_invalid") from None


def check_submission(
    *, report_type: ReportType, unit: Unit, period: str, submitted_on: dt.date | None
) -> Problems:
    """Every problem with a submission's values (the unit must send this report)."""
    problems = Problems()
    try:
        due_on(report_type, period)
    except Refused as refused:
        for problem in refused.problems:
            problems.add(problem, code="report.period_invalid")
    types = {row.pk for row in report_type.unit_types.all()}
    if unit.unit_type_id not in types:
        problems.add(
            _("%(unit)s does not send the report %(report)s.")
            % {"unit": unit.code, "report": report_type.code},
            code="submission.unit_not_sending",
        )
    if submitted_on is None:
        problems.add(_("Give the day the report was sent."), code="submission.no_day")
    return problems


@transaction.atomic
def submit_report(
    *,
    by: User | None,
    report_type: ReportType,
    unit: Unit,
    period: str,
    submitted_on: dt.date,
    document: Evidence | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Submission:
    """Record a unit's report for a period; a report returned for quality is replaced by the
    new submission (its day is the one that counts), one already accepted is refused."""
    today = today or timezone.localdate()
    problems = check_submission(
        report_type=report_type, unit=unit, period=period, submitted_on=submitted_on
    )
    if submitted_on and submitted_on > today:
        problems.add(
            _("The day the report was sent cannot be in the future."),
            code="submission.day_in_future",
        )
    if document is not None and document.unit_id != unit.pk:
        problems.add(
            _("The document must come from the unit's library."), code="monitoring.foreign_document"
        )
    if problems:
        raise Refused(problems.texts, code="submission.invalid", codes=problems.codes)
    existing = (
        Submission.objects.select_for_update()
        .filter(report_type=report_type, unit=unit, period=period)
        .first()
    )
    if existing and existing.status == Submission.Status.SUBMITTED:
        raise Refused(
            _("The report %(report)s for %(period)s was already sent on %(date)s.")
            % {
                "report": report_type.code,
                "period": period,
                "date": existing.submitted_on.strftime("%d/%m/%Y"),
            },
            code="submission.already_sent",
        )
    submission = existing or Submission(report_type=report_type, unit=unit, period=period)
    old = {"submitted_on": existing.submitted_on, "status": existing.status} if existing else None
    submission.due_on = due_on(report_type, period)
    submission.submitted_on = submitted_on
    submission.document = document
    submission.note = note.strip()
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = by if getattr(by, "is_authenticated", False) else None
    submission.version += 1
    submission.save()
    audit.record(
        submission,
        "report.submitted",
        by=by,
        old=old,
        new={
            "report": report_type.code,
            "unit": unit.code,
            "period": period,
            "submitted_on": submitted_on,
            "document": document.pk if document else None,
        },
    )
    return submission


@transaction.atomic
def return_submission(*, by: User, submission: Submission, version: int, reason: str) -> Submission:
    """Return a report for quality, with the reason; until the unit sends it again it is not
    counted as on time."""
    if not reason.strip():
        raise Refused(_("Give the reason for returning it."), code="monitoring.no_reason")
    if submission.status != Submission.Status.SUBMITTED:
        raise Refused(_("The report is already returned."), code="submission.already_returned")
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    locked_save(submission, version, ["status", "return_reason", "updated_at"])
    audit.record(
        submission,
        "report.returned",
        by=by,
        new={
            "report": submission.report_type.code,
            "unit": submission.unit.code,
            "period": submission.period,
        },
        reason=submission.return_reason,
    )
    with site_language():
        tell_units(
            [submission.unit_id],
            subject=_("Report returned: %(report)s, %(period)s")
            % {"report": submission.report_type.title, "period": submission.period},
            body=_(
                "The PAR office returned the report for quality. Reason: %(reason)s. Send it again."
            )
            % {"reason": submission.return_reason},
            url=reverse("monitoring:calendar") + f"?unit={submission.unit_id}",
        )
    return submission
