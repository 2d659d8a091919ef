"""Reads for rounds: the list, the office's progress dashboard, the appraiser matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.accounts.models import Role, User
from parindex.accounts.types import AnyUser
from parindex.rounds.models import Assignment, Extension, Round, RoundIndexSet
from parindex.rounds.participants import participants
from parindex.units.models import Unit


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


def appraisal_cells(user: User) -> QuerySet[Any]:
    """The (round id, unit id, area id) cells a user is assigned to appraise (for permissions)."""
    return Assignment.objects.filter(appraiser=user).values_list("round_id", "unit_id", "area_id")


def round_index_sets(round_: Round) -> list[RoundIndexSet]:
    return list(
        round_.index_sets.select_related("unit_type", "index_set").order_by("unit_type__order")
    )


# --- dashboard -----------------------------------------------------------------------------------


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


def dashboard(
    round_: Round, *, status: str = "", unit_type: str = "", search: str = "", sort: str = "unit"
) -> list[DashboardRow]:
    """Per unit: status, % answered, evidence coverage and days to its current deadline."""
    return participants().progress(
        round_, status=status, unit_type=unit_type, search=search, sort=sort
    )


def status_summary(round_: Round) -> list[tuple[str, str, int]]:
    """(status, label, number of units) for each status present in the round, in workflow order."""
    return participants().status_summary(round_)


def extensions(round_: Round) -> QuerySet[Extension]:
    return round_.extensions.select_related("unit", "granted_by").order_by("unit__code", "phase")


def round_units(round_: Round) -> QuerySet[Unit]:
    """The units taking part in a round (the extensions form picks among them)."""
    return Unit.objects.filter(assessments__round=round_)


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
    units = list(
        Unit.objects.filter(assessments__round=round_, unit_type=current.unit_type).order_by("code")
    )
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
