"""Writes for inspections: the inspection and its minutes, findings, the unit's remedy report
and the office's verification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.core import audit
from parindex.core.formatting import format_date
from parindex.core.refusals import Problems
from parindex.monitoring.models import Finding, Inspection, Plan
from parindex.monitoring.services.common import Refused, locked_save, site_language, tell_units
from parindex.units.models import Unit

F = Finding.Status


@transaction.atomic
def save_inspection(
    *,
    by: User | None,
    code: str,
    unit: Unit,
    inspected_on: dt.date,
    kind: str = Inspection.Kind.PERIODIC,
    team: str = "",
    plan: Plan | None = None,
    minutes: Evidence | None = None,
    note: str = "",
    inspection: Inspection | None = None,
) -> Inspection:
    """Record an inspection of a unit (or change one): when, by whom, its minutes."""
    problems = Problems()
    code = code.strip()
    if not code:
        problems.add(_("Give the inspection a code."), code="inspection.no_code")
    elif Inspection.objects.filter(code=code).exclude(pk__in=[inspection.pk] if inspection else []):
        problems.add(
            _("An inspection with the code %(code)s already exists.") % {"code": code},
            code="inspection.code_taken",
        )
    if minutes is not None and minutes.unit_id != unit.pk:
        problems.add(
            _("The minutes must be a document of the inspected unit's library."),
            code="inspection.foreign_minutes",
        )
    if kind not in Inspection.Kind.values:
        problems.add(_("Choose periodic or unscheduled."), code="inspection.no_kind")
    if problems:
        raise Refused(problems.texts, code="inspection.invalid", codes=problems.codes)
    values = {
        "code": code,
        "unit": unit,
        "inspected_on": inspected_on,
        "kind": kind,
        "team": team.strip(),
        "plan": plan,
        "minutes": minutes,
        "note": note.strip(),
    }
    if inspection is None:
        inspection = Inspection.objects.create(**values)
        audit.record(inspection, "inspection.created", by=by, new=values)
        return inspection
    old, new = audit.changes(inspection, list(values), values)
    if new:
        for key, value in values.items():
            setattr(inspection, key, value)
        inspection.save()
        audit.record(inspection, "inspection.changed", by=by, old=old, new=new)
    return inspection


def check_finding(
    *, inspection: Inspection, code: str, text: str, finding: Finding | None = None
) -> Problems:
    problems = Problems()
    if not code:
        problems.add(_("Give the finding a code."), code="finding.no_code")
    elif Finding.objects.filter(inspection=inspection, code=code).exclude(
        pk__in=[finding.pk] if finding else []
    ):
        problems.add(
            _("The inspection already has a finding with the code %(code)s.") % {"code": code},
            code="finding.code_taken",
        )
    if not text.strip():
        problems.add(_("Write what the inspection found."), code="finding.no_text")
    return problems


@transaction.atomic
def save_finding(
    *,
    by: User | None,
    inspection: Inspection,
    code: str,
    text: str,
    remedy_deadline: dt.date,
    criterion_code: str = "",
    remedy: str = "",
    finding: Finding | None = None,
    version: int | None = None,
    notify: bool = True,
) -> Finding:
    """Add a finding to an inspection (the unit is told) or change one."""
    code = code.strip()
    if problems := check_finding(inspection=inspection, code=code, text=text, finding=finding):
        raise Refused(problems.texts, code="finding.invalid", codes=problems.codes)
    values = {
        "code": code,
        "text": text.strip(),
        "criterion_code": criterion_code.strip(),
        "remedy": remedy.strip(),
        "remedy_deadline": remedy_deadline,
    }
    if finding is None:
        finding = Finding.objects.create(inspection=inspection, **values)
        audit.record(finding, "finding.added", by=by, new={"inspection": inspection.code, **values})
        if notify:
            with site_language():
                tell_units(
                    [inspection.unit_id],
                    subject=_("Inspection finding to remedy by %(date)s")
                    % {"date": format_date(remedy_deadline)},
                    body=_("Inspection %(code)s found: %(text)s. Required remedy: %(remedy)s")
                    % {"code": inspection.code, "text": finding.text, "remedy": finding.remedy},
                    url=reverse("monitoring:finding", args=[finding.pk]),
                )
        return finding
    old, new = audit.changes(finding, list(values), values)
    if new:
        for key, value in values.items():
            setattr(finding, key, value)
        locked_save(
            finding, finding.version if version is None else version, [*values, "updated_at"]
        )
        audit.record(finding, "finding.changed", by=by, old=old, new=new)
    return finding


@transaction.atomic
def report_remedy(
    *,
    by: User,
    finding: Finding,
    version: int,
    reported_on: dt.date,
    evidence: Evidence | None,
    note: str = "",
    today: dt.date | None = None,
) -> Finding:
    """The unit reports it remedied a finding, with the day and the evidence; the office
    verifies it next."""
    today = today or timezone.localdate()
    if finding.status == F.REMEDIED:
        raise Refused(
            _("The office already verified this remedy."), code="finding.already_verified"
        )
    problems = Problems()
    if reported_on > today:
        problems.add(
            _("The day of the remedy cannot be in the future."), code="remedy.day_in_future"
        )
    if evidence is None:
        problems.add(
            _("Choose the evidence of the remedy (a document of your unit's library)."),
            code="remedy.no_evidence",
        )
    elif evidence.unit_id != finding.inspection.unit_id:
        problems.add(
            _("The document must come from your unit's library."),
            code="monitoring.foreign_document",
        )
    if problems:
        raise Refused(problems.texts, code="remedy.invalid", codes=problems.codes)
    old = {"status": finding.status, "reported_on": finding.reported_on}
    finding.status = F.REPORTED
    finding.reported_on = reported_on
    finding.evidence = evidence
    finding.report_note = note.strip()
    locked_save(
        finding, version, ["status", "reported_on", "evidence", "report_note", "updated_at"]
    )
    audit.record(
        finding,
        "finding.remedy_reported",
        by=by,
        old=old,
        new={
            "status": F.REPORTED,
            "reported_on": reported_on,
            "evidence": finding.evidence_id,
        },
    )
    return finding


@transaction.atomic
def verify_finding(
    *, by: User, finding: Finding, version: int, accept: bool, reason: str = ""
) -> Finding:
    """The office verifies a reported remedy (the finding counts as remedied on the day the
    unit reported) or returns it with the reason."""
    if finding.status != F.REPORTED:
        raise Refused(_("Only a reported remedy can be verified."), code="finding.not_reported")
    if not accept and not reason.strip():
        raise Refused(_("Give the reason for returning it."), code="monitoring.no_reason")
    if accept:
        finding.status = F.REMEDIED
        finding.remedied_on = finding.reported_on
        finding.return_reason = ""
    else:
        finding.status = F.RETURNED
        finding.return_reason = reason.strip()
    finding.verified_at = timezone.now()
    finding.verified_by = by
    locked_save(
        finding,
        version,
        ["status", "remedied_on", "return_reason", "verified_at", "verified_by", "updated_at"],
    )
    audit.record(
        finding,
        "finding.verified" if accept else "finding.returned",
        by=by,
        new={"status": finding.status, "remedied_on": finding.remedied_on},
        reason=finding.return_reason,
    )
    if not accept:
        with site_language():
            tell_units(
                [finding.inspection.unit_id],
                subject=_("Remedy returned: finding %(code)s") % {"code": finding.code},
                body=_("The PAR office returned the remedy of finding %(code)s. Reason: %(reason)s")
                % {"code": finding.code, "reason": finding.return_reason},
                url=reverse("monitoring:finding", args=[finding.pk]),
            )
    return finding


@transaction.atomic
def record_remedied(*, by: User | None, finding: Finding, remedied_on: dt.date | None) -> bool:
    """Set (or clear) a finding's verified remedy day as the office records it (imports).
    Returns whether it changed."""
    target: dict[str, Any] = (
        {"status": F.REMEDIED, "remedied_on": remedied_on, "reported_on": remedied_on}
        if remedied_on
        else {"status": F.OPEN, "remedied_on": None}
    )
    if finding.remedied_on == remedied_on and (remedied_on or finding.status == F.OPEN):
        return False
    old = {"status": finding.status, "remedied_on": finding.remedied_on}
    for key, value in target.items():
        setattr(finding, key, value)
    if remedied_on:
        finding.verified_at = timezone.now()
        finding.verified_by = by if getattr(by, "is_authenticated", False) else None
    finding.version += 1
    finding.save()
    audit.record(finding, "finding.recorded", by=by, old=old, new=target)
    return True
