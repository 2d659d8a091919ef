"""Reads for rounds: the list, the office's progress dashboard, the appraiser matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.accounts.models import Role, User
from parindex.accounts.types import AnyUser
from parindex.rounds import deadlines
from parindex.rounds.models import Assignment, Extension, Phase, Round, RoundIndexSet


def rounds_for_user(user: AnyUser) -> QuerySet[Round]:
    """The rounds a user may list (office, council, appraisers, viewers), newest first."""
    if not permissions.can_view_rounds(user):
        raise PermissionDenied
    rounds = Round.objects.annotate(units=Count("assessments")).order_by("-year", "code")
    if not permissions.is_office(user):
        rounds = rounds.exclude(status=Round.Status.DRAFT)
    return rounds


def get_round_for_office(user: AnyUser, pk: int) -> Round:
    """A round the PAR office manages (403 for anyone else)."""
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied
    return get_object_or_404(Round, pk=pk)


def get_round_for_council(user: AnyUser, pk: int) -> Round:
    """A round the council decides on (403 for anyone else)."""
    if not permissions.is_council(user):
        raise PermissionDenied
    return get_object_or_404(Round, pk=pk)


def round_index_sets(round_: Round) -> list[RoundIndexSet]:
    return list(
        round_.index_sets.select_related("unit_type", "index_set").order_by("unit_type__order")
    )


# --- dashboard -----------------------------------------------------------------------------------

# The phase whose deadline matters for an assessment in each status.
STATUS_PHASE = {
    "draft": Phase.SELF_ASSESSMENT,
    "submitted": Phase.APPRAISAL,
    "in_appraisal": Phase.APPRAISAL,
    "returned": Phase.EXPLANATION,
    "explained": Phase.SECOND_APPRAISAL,
    "finalised": Phase.COUNCIL,
}


@dataclass
class DashboardRow:
    assessment: Any
    total: int
    answered: int
    evidenced: int
    phase_label: str
    deadline: dt.date | None
    days_left: int | None

    @property
    def answered_percent(self) -> float:
        return round(100 * self.answered / self.total, 1) if self.total else 0.0

    @property
    def evidence_percent(self) -> float:
        return round(100 * self.evidenced / self.total, 1) if self.total else 0.0


SORTS = {
    "unit": lambda row: row.assessment.unit.code,
    "name": lambda row: row.assessment.unit.name,
    "status": lambda row: row.assessment.status,
    "answered": lambda row: row.answered_percent,
    "evidence": lambda row: row.evidence_percent,
    "days": lambda row: row.days_left if row.days_left is not None else 10**6,
}


def dashboard(
    round_: Round, *, status: str = "", unit_type: str = "", search: str = "", sort: str = "unit"
) -> list[DashboardRow]:
    """Per unit: status, % answered, evidence coverage and days to its current deadline."""
    from parindex.assessments.models import Assessment, Item, ItemEvidence

    assessments = Assessment.objects.filter(round=round_).select_related("unit__unit_type")
    if status:
        assessments = assessments.filter(status=status)
    if unit_type:
        assessments = assessments.filter(unit__unit_type__code=unit_type)
    if search:
        assessments = assessments.filter(
            Q(unit__code__icontains=search) | Q(unit__name__icontains=search)
        )
    listed = list(assessments)
    ids = [assessment.pk for assessment in listed]
    items = Item.objects.filter(assessment_id__in=ids).exclude(criterion__source="survey")
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
    rows.sort(key=SORTS.get(key, SORTS["unit"]), reverse=sort.startswith("-"))
    return rows


def status_summary(round_: Round) -> list[tuple[str, str, int]]:
    """(status, label, number of units) for each status present in the round, in workflow order."""
    from parindex.assessments.models import Assessment

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


def extensions(round_: Round) -> QuerySet[Extension]:
    return round_.extensions.select_related("unit", "granted_by").order_by("unit__code", "phase")


# --- appraiser matrix ----------------------------------------------------------------------------


@dataclass
class MatrixRow:
    unit: Any
    cells: list[tuple[int, int | None]]  # (area id, appraiser id or None)


@dataclass
class Matrix:
    unit_types: list[RoundIndexSet]
    current: RoundIndexSet | None
    areas: list[Any]
    rows: list[MatrixRow]
    appraisers: list[User]


def matrix(round_: Round, unit_type_code: str = "") -> Matrix:
    """Units × areas of one unit type of the round, with who appraises each cell."""
    from parindex.assessments.models import Assessment
    from parindex.indexsets.models import Criterion

    types = round_index_sets(round_)
    current = next(
        (row for row in types if row.unit_type.code == unit_type_code), types[0] if types else None
    )
    if current is None:
        return Matrix(types, None, [], [], [])
    areas = list(
        Criterion.objects.filter(index_set=current.index_set, parent__isnull=True).order_by(
            "position"
        )
    )
    units = [
        assessment.unit
        for assessment in Assessment.objects.filter(round=round_, unit__unit_type=current.unit_type)
        .select_related("unit")
        .order_by("unit__code")
    ]
    assigned = {
        (row.unit_id, row.area_id): row.appraiser_id
        for row in Assignment.objects.filter(round=round_, area__in=areas)
    }
    rows = [
        MatrixRow(unit, [(area.pk, assigned.get((unit.pk, area.pk))) for area in areas])
        for unit in units
    ]
    appraisers = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.APPRAISER)
        .distinct()
        .order_by("full_name", "username")
    )
    return Matrix(types, current, areas, rows, appraisers)
