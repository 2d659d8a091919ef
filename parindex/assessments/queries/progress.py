"""What is left to do: an assessment's completeness, and a round's progress and participants
(rounds reach them through `rounds.participants`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from parindex.assessments.models import (
    Assessment,
    Item,
    ItemEvidence,
)
from parindex.assessments.queries.scoring import SYSTEM_COMPUTED
from parindex.core.vietnamese_sql import words_in
from parindex.rounds import deadlines
from parindex.rounds.models import Phase, Round
from parindex.rounds.queries import DashboardRow


@dataclass(frozen=True)
class Gap:
    """Something the unit must still do before submitting."""

    item_id: int
    code: str
    area_code: str
    message: str


def completeness(assessment: Assessment) -> list[Gap]:
    """What stops submission: unanswered leaves, and leaves without evidence or explanation."""
    from django.utils.translation import gettext as _

    evidenced = set(
        ItemEvidence.objects.filter(item__assessment=assessment).values_list("item_id", flat=True)
    )
    gaps = []
    items = (
        assessment.items.select_related("criterion", "area")
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
        .order_by("position")
    )
    for item in items:
        code = item.criterion.code
        if item.self_answer is None:
            gaps.append(Gap(item.pk, code, item.area.code, _("no value entered yet")))
        if item.pk not in evidenced and not item.no_evidence_reason.strip():
            gaps.append(
                Gap(
                    item.pk,
                    code,
                    item.area.code,
                    _("attach evidence or explain in writing why there is none"),
                )
            )
    return gaps


# The phase whose deadline matters for an assessment in each status.
STATUS_PHASE = {
    "draft": Phase.SELF_ASSESSMENT,
    "submitted": Phase.APPRAISAL,
    "in_appraisal": Phase.APPRAISAL,
    "returned": Phase.EXPLANATION,
    "explained": Phase.SECOND_APPRAISAL,
    "finalised": Phase.COUNCIL,
}


PROGRESS_SORTS = {
    "unit": lambda row: row.assessment.unit.code,
    "name": lambda row: row.assessment.unit.name,
    "status": lambda row: row.assessment.status,
    "answered": lambda row: row.answered_percent,
    "evidence": lambda row: row.evidence_percent,
    "days": lambda row: row.days_left if row.days_left is not None else 10**6,
}


def round_progress(
    round_: Round, *, status: str = "", unit_type: str = "", search: str = "", sort: str = "unit"
) -> list[DashboardRow]:
    """Per unit: status, % answered, evidence coverage and days to its current deadline."""
    from django.db.models import Count

    assessments = Assessment.objects.filter(round=round_).select_related("unit__unit_type")
    if status:
        assessments = assessments.filter(status=status)
    if unit_type:
        assessments = assessments.filter(unit__unit_type__code=unit_type)
    if search:
        assessments = assessments.filter(words_in(search, "unit__code", "unit__name"))
    listed = list(assessments)
    ids = [assessment.pk for assessment in listed]
    items = (
        Item.objects.filter(assessment_id__in=ids)
        .exclude(criterion__source="survey")
        .exclude(SYSTEM_COMPUTED)
    )
    counts = {
        row["assessment_id"]: row
        for row in items.values("assessment_id").annotate(
            total=Count("id"), answered=Count("id", filter=Q(self_answer__isnull=False))
        )
    }
    evidenced = dict(
        ItemEvidence.objects.filter(item__assessment_id__in=ids)
        .values("item__assessment_id")
        .annotate(n=Count("item_id", distinct=True))
        .values_list("item__assessment_id", "n")
    )
    extensions = deadlines.extensions_of(round_)
    today = deadlines.today()
    rows = []
    for assessment in listed:
        phase = STATUS_PHASE.get(assessment.status)
        if phase == Phase.COUNCIL and assessment.approved_at:
            phase = None
        due = deadlines.deadline(round_, assessment.unit_id, phase, extensions) if phase else None
        count = counts.get(assessment.pk, {"total": 0, "answered": 0})
        rows.append(
            DashboardRow(
                assessment=assessment,
                total=count["total"],
                answered=count["answered"],
                evidenced=evidenced.get(assessment.pk, 0),
                phase_label=str(Phase(phase).label) if phase else "",
                deadline=due,
                days_left=deadlines.days_left(due, today) if due else None,
            )
        )
    key = sort.lstrip("-")
    rows.sort(key=PROGRESS_SORTS.get(key, PROGRESS_SORTS["unit"]), reverse=sort.startswith("-"))
    return rows


def status_summary(round_: Round) -> list[tuple[str, str, int]]:
    """(status, label, number of units) for each status present in the round, in workflow order."""
    from django.db.models import Count

    counts = dict(
        Assessment.objects.filter(round=round_)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        (code, str(label), counts[code])
        for code, label in Assessment.Status.choices
        if code in counts
    ]


def round_areas(round_: Round) -> set[tuple[int, int]]:
    """The (unit id, area id) cells of a round: each participating unit's top-level criteria."""
    return set(
        Assessment.objects.filter(round=round_)
        .filter(index_set__criteria__parent__isnull=True)
        .values_list("unit_id", "index_set__criteria__id")
    )


def not_approved(round_: Round) -> QuerySet[Assessment]:
    """The round's assessments not yet finalised and approved by the council, by unit code."""
    return (
        Assessment.objects.filter(round=round_)
        .exclude(status=Assessment.Status.FINALISED, approved_at__isnull=False)
        .select_related("unit")
        .order_by("unit__code")
    )
