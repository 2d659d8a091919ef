"""The province in the national PAR Index: ranks, changes, groups, distances and headroom.

Pure Python (no Django; ranking and rounding come from the engine): callers pass the tables,
areas and thresholds as plain dataclasses. Ranks are competition ranks on the published
two-decimal values (1, 2, 2, 4), always out of that year's number of provinces. When provinces
merged between two years (63 into 34 in 2025), the previous table is re-cut into the current
provinces (a merged province gets the unweighted mean of its predecessors' published values),
so that the change in places compares like with like.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from parindex.engine.decimals import round_percent
from parindex.engine.ranking import competition_ranks

HUNDRED = Decimal(100)


class AnalysisError(Exception):
    """The analysis cannot be made (e.g. the province is not in that year's table)."""


def round2(value: Decimal) -> Decimal:
    """Round half-up to the two decimals the Ministry publishes (the engine's one rounding)."""
    return round_percent(value)


def competition_rank(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Competition ranking on two-decimal values: equal values share a rank, the next is skipped."""
    return competition_ranks({key: round2(value) for key, value in values.items()})


def rank_among(value: Decimal, others: Iterable[Decimal]) -> int:
    """The rank a value would take among the other provinces' values (ties share the rank)."""
    mine = round2(value)
    return 1 + sum(1 for other in others if round2(other) > mine)


@dataclass(frozen=True)
class Row:
    """One province's published figures of one year."""

    province: str
    index_percent: Decimal
    areas: Mapping[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One year's national table."""

    year: int
    rows: tuple[Row, ...]

    def row(self, province: str) -> Row | None:
        """The row of a province, or None when the table does not list it."""
        return next((row for row in self.rows if row.province == province), None)

    @property
    def size(self) -> int:
        """The number of provinces ranked that year."""
        return len(self.rows)

    def average(self) -> Decimal:
        """The national average index (mean of the provinces' published indices)."""
        return round2(sum((row.index_percent for row in self.rows), Decimal(0)) / self.size)

    def ranks(self) -> dict[str, int]:
        """Every province's rank by index."""
        return competition_rank({row.province: row.index_percent for row in self.rows})

    def area_values(self, code: str) -> dict[str, Decimal]:
        """The provinces' published percentages of one area (provinces without one are left out)."""
        values = {row.province: row.areas.get(code) for row in self.rows}
        return {province: value for province, value in values.items() if value is not None}


@dataclass(frozen=True)
class Area:
    """An area (lĩnh vực) of the national index: code, name, maximum points, leading department."""

    code: str
    name: str
    max_points: Decimal | None = None
    lead: str = ""


@dataclass(frozen=True)
class Group:
    """A published group: A from 90%, B from 80%, C from 70% (thresholds are configurable)."""

    code: str
    min_percent: Decimal


DEFAULT_GROUPS = (
    Group("A", Decimal(90)),
    Group("B", Decimal(80)),
    Group("C", Decimal(70)),
)


def group_of(value: Decimal, groups: Sequence[Group]) -> str | None:
    """The group of an index (None below the lowest threshold)."""
    for group in sorted(groups, key=lambda g: g.min_percent, reverse=True):
        if round2(value) >= group.min_percent:
            return group.code
    return None


def _mean(values: list[Decimal]) -> Decimal:
    return round2(sum(values, Decimal(0)) / len(values))


def project(
    previous: Table, predecessors: Mapping[str, Sequence[str]], provinces: Iterable[str]
) -> Table:
    """The previous table re-cut into the current provinces (merged: mean of its predecessors)."""
    rows = []
    for province in provinces:
        found = [
            row
            for name in predecessors.get(province, (province,))
            if (row := previous.row(name)) is not None
        ]
        if not found:
            continue
        codes = sorted({code for row in found for code in row.areas})
        areas: dict[str, Decimal | None] = {}
        for code in codes:
            values = [value for row in found if (value := row.areas.get(code)) is not None]
            areas[code] = _mean(values) if values else None
        rows.append(Row(province, _mean([row.index_percent for row in found]), areas))
    return Table(previous.year, tuple(rows))


@dataclass(frozen=True)
class AreaResult:
    """One area of the analysed province, against the other provinces."""

    code: str
    name: str
    lead: str
    max_points: Decimal | None
    percent: Decimal | None
    rank: int | None
    of: int
    previous_percent: Decimal | None
    previous_rank: int | None
    rank_change: int | None
    national_average: Decimal | None
    best_percent: Decimal | None
    best_provinces: tuple[str, ...]
    lost_points: Decimal | None


@dataclass(frozen=True)
class Headroom:
    """The index and rank the province would have had by recovering some lost points."""

    label: str
    points: Decimal
    index_percent: Decimal
    rank: int
    places_gained: int


@dataclass(frozen=True)
class Analysis:
    """The province's place in one year's national table and its change from the previous year."""

    province: str
    year: int
    index_percent: Decimal
    rank: int
    of: int
    group: str | None
    previous_year: int | None
    previous_index: Decimal | None
    previous_rank: int | None
    previous_of: int | None
    rank_change: int | None
    points_change: Decimal | None
    is_projected: bool
    published_previous_rank: int | None
    published_previous_of: int | None
    national_average: Decimal
    distance_to_average: Decimal
    top_index: Decimal
    top_provinces: tuple[str, ...]
    distance_to_top: Decimal
    next_rank_up: int | None
    next_up_index: Decimal | None
    next_up_provinces: tuple[str, ...]
    distance_to_next_up: Decimal | None
    areas: tuple[AreaResult, ...]
    area_headroom: tuple[Headroom, ...]
    owner_headroom: tuple[Headroom, ...]


def _area_result(area: Area, province: str, current: Table, previous: Table | None) -> AreaResult:
    values = current.area_values(area.code)
    ranks = competition_rank(values)
    percent = values.get(province)
    previous_values = previous.area_values(area.code) if previous else {}
    previous_percent = previous_values.get(province)
    previous_rank = competition_rank(previous_values).get(province) if previous_values else None
    rank = ranks.get(province)
    best = max(values.values()) if values else None
    lost = None
    if percent is not None and area.max_points is not None:
        lost = round2(area.max_points * (HUNDRED - percent) / HUNDRED)
    return AreaResult(
        code=area.code,
        name=area.name,
        lead=area.lead,
        max_points=area.max_points,
        percent=percent,
        rank=rank,
        of=len(values),
        previous_percent=previous_percent,
        previous_rank=previous_rank,
        rank_change=(
            previous_rank - rank if rank is not None and previous_rank is not None else None
        ),
        national_average=_mean(list(values.values())) if values else None,
        best_percent=best,
        best_provinces=tuple(sorted(p for p, v in values.items() if v == best)),
        lost_points=lost,
    )


def index_points_total(areas: Sequence[Area]) -> Decimal:
    """The points the index is a percentage of: the areas' maxima when all are known, else 100."""
    if areas and all(area.max_points is not None for area in areas):
        return sum((area.max_points for area in areas if area.max_points is not None), Decimal(0))
    return HUNDRED


def headroom(
    *, label: str, points: Decimal, province: str, table: Table, total_points: Decimal
) -> Headroom:
    """The index and rank the province would have had with `points` more, others unchanged."""
    row = table.row(province)
    if row is None:
        raise AnalysisError(f"{province} is not in the {table.year} table")
    new_index = min(HUNDRED, round2(row.index_percent + points * HUNDRED / total_points))
    others = [other.index_percent for other in table.rows if other.province != province]
    rank = table.ranks()[province]
    new_rank = rank_among(new_index, others)
    return Headroom(label, round2(points), new_index, new_rank, rank - new_rank)


def analyse(
    *,
    province: str,
    current: Table,
    previous: Table | None,
    areas: Sequence[Area],
    groups: Sequence[Group] = DEFAULT_GROUPS,
    predecessors: Mapping[str, Sequence[str]] | None = None,
    lost_by_owner: Mapping[str, Decimal] | None = None,
) -> Analysis:
    """Analyse a province's year: rank of N, changes, group, distances, areas and headroom.

    `predecessors` maps each province formed by a merger since the previous year to the
    provinces it was formed from; `lost_by_owner` gives the points lost on the province's own
    criteria per responsible department (the appendix), for the headroom by department.
    """
    row = current.row(province)
    if row is None:
        raise AnalysisError(f"{province} is not in the {current.year} table")
    ranks = current.ranks()
    rank = ranks[province]
    comparable = previous
    published_rank = published_of = None
    if previous is not None and predecessors:
        published_rank = previous.ranks().get(province)
        published_of = previous.size if published_rank is not None else None
        comparable = project(previous, predecessors, (r.province for r in current.rows))
    previous_row = comparable.row(province) if comparable else None
    previous_rank = comparable.ranks()[province] if comparable and previous_row else None
    value = round2(row.index_percent)
    values = sorted({round2(r.index_percent) for r in current.rows}, reverse=True)
    higher = [v for v in values if v > value]
    next_up = higher[-1] if higher else None
    average = current.average()
    total_points = index_points_total(areas)
    area_results = tuple(_area_result(area, province, current, comparable) for area in areas)
    area_headroom = tuple(
        sorted(
            (
                headroom(
                    label=result.name,
                    points=result.lost_points,
                    province=province,
                    table=current,
                    total_points=total_points,
                )
                for result in area_results
                if result.lost_points
            ),
            key=lambda h: (-h.places_gained, -h.points, h.label),
        )
    )
    owner_headroom = tuple(
        sorted(
            (
                headroom(
                    label=owner,
                    points=points,
                    province=province,
                    table=current,
                    total_points=total_points,
                )
                for owner, points in (lost_by_owner or {}).items()
                if points > 0
            ),
            key=lambda h: (-h.places_gained, -h.points, h.label),
        )
    )
    return Analysis(
        province=province,
        year=current.year,
        index_percent=value,
        rank=rank,
        of=current.size,
        group=group_of(value, groups),
        previous_year=previous.year if previous else None,
        previous_index=previous_row.index_percent if previous_row else None,
        previous_rank=previous_rank,
        previous_of=comparable.size if comparable and previous_row else None,
        rank_change=previous_rank - rank if previous_rank is not None else None,
        points_change=value - previous_row.index_percent if previous_row else None,
        is_projected=bool(previous is not None and predecessors),
        published_previous_rank=published_rank,
        published_previous_of=published_of,
        national_average=average,
        distance_to_average=value - average,
        top_index=values[0],
        top_provinces=tuple(
            sorted(r.province for r in current.rows if r.index_percent == values[0])
        ),
        distance_to_top=values[0] - value,
        next_rank_up=rank_among(next_up, (r.index_percent for r in current.rows))
        if next_up
        else None,
        next_up_index=next_up,
        next_up_provinces=tuple(
            sorted(r.province for r in current.rows if round2(r.index_percent) == next_up)
        )
        if next_up
        else (),
        distance_to_next_up=next_up - value if next_up is not None else None,
        areas=area_results,
        area_headroom=area_headroom,
        owner_headroom=owner_headroom,
    )


@dataclass(frozen=True)
class TrendPoint:
    """The province's index and rank of one year, for the charts."""

    year: int
    index_percent: Decimal | None
    rank: int | None
    of: int
    national_average: Decimal


def trend(tables: Sequence[Table], province: str) -> list[TrendPoint]:
    """The province's index and rank over the years (None for years it is not listed)."""
    points = []
    for table in sorted(tables, key=lambda t: t.year):
        row = table.row(province)
        points.append(
            TrendPoint(
                year=table.year,
                index_percent=row.index_percent if row else None,
                rank=table.ranks()[province] if row else None,
                of=table.size,
                national_average=table.average(),
            )
        )
    return points
