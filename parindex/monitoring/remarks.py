"""Beside a criterion of a round's self-assessment and appraisal pages: the remediation task
meant to fix the points lost on it the year before, and how far it got (lost points → task →
evidence → score). Registered in `parindex.assessments.hooks` by hooks.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from parindex.assessments import province
from parindex.assessments.hooks import Remark
from parindex.assessments.models import Assessment
from parindex.core.formatting import format_date, format_points
from parindex.monitoring.models import Plan, Progress

S = Progress.Status


def status_of(row: Progress) -> tuple[str, str]:
    """A progress row as one of the project's status colours, with its label."""
    if row.status == S.DONE:
        if row.review == Progress.Review.ACCEPTED:
            return "finalised", _("done, accepted")
        return "in_appraisal", _("done, awaiting review")
    if row.is_overdue_on(timezone.localdate()):
        return "returned", _("overdue")
    if row.status == S.IN_PROGRESS:
        return "submitted", pgettext("task status", "In progress")
    if row.status == S.CANCELLED:
        return "draft", _("cancelled")
    return "draft", _("not started")


def remediation_remarks(assessment: Assessment) -> dict[str, list[Remark]]:
    """The issued remediation tasks of the round's year linked to each criterion: the unit's
    own, or for the province's assessment those of the departments owning its criteria."""
    rows = Progress.objects.filter(
        task__plan__kind=Plan.Kind.REMEDIATION,
        task__plan__year=assessment.round.year,
        task__plan__status=Plan.Status.ISSUED,
    ).select_related("task__plan", "unit", "evidence")
    if province.is_province(assessment):
        rows = rows.filter(task__code__startswith=f"{province.PROVINCE_TYPE}-")
    else:
        rows = rows.filter(unit_id=assessment.unit_id)
    found: dict[str, list[Remark]] = {}
    for row in rows.order_by("task__plan__code", "task__position"):
        origin = row.task.origin or {}
        if origin.get("unit_type", assessment.unit.unit_type.code) != (
            assessment.unit.unit_type.code
        ):
            continue  # a task on another index set's criterion with the same code
        lost = (origin.get("lost_points") or {}).get(assessment.unit.code, origin.get("total", ""))
        code, label = status_of(row)
        detail = _("deadline %(date)s") % {"date": format_date(row.deadline)}
        if row.completed_on:
            detail = _("done on %(date)s") % {"date": format_date(row.completed_on)}
        if province.is_province(assessment):
            detail = f"{row.unit.code} · {detail}"
        remark = Remark(
            label=(
                _("%(plan)s, task %(task)s: remedies the %(points)s point(s) lost in %(round)s")
                % {
                    "plan": row.task.plan.code,
                    "task": row.task.code,
                    "points": format_points(lost) if lost else "—",
                    "round": origin.get("round", ""),
                }
                if origin
                else _("%(plan)s, task %(task)s")
                % {"plan": row.task.plan.code, "task": row.task.code}
            ),
            status=code,
            status_label=label,
            url=reverse("monitoring:progress", args=[row.pk]),
            detail=detail,
        )
        for criterion in row.task.criterion_codes:
            found.setdefault(criterion, []).append(remark)
    return found
