"""What the results pages and documents show, prepared from a round's results (no database).

Every figure comes from the engine (`score_round`, `lost_points`, `headroom`, `what_if`,
`compare_rounds`); this module only arranges it into rows for tables, charts and exports.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from parindex import engine
from parindex.results.computing import LazyWhenUnpickled, RoundResults, TypeResults


@dataclass(frozen=True)
class AreaCell:
    """One area of one unit: its code, name, percent (None when wholly N/A)."""

    code: str
    name: str
    percent: Decimal | None
    points: Decimal
    max_points: Decimal


@dataclass
class RankingRow(LazyWhenUnpickled):
    """One unit's line in a ranking table."""

    rank: int
    unit_code: str
    unit_name: str
    group: str
    points: Decimal
    max_points: Decimal
    index_percent: Decimal
    band_code: str
    band_name: str
    areas: list[AreaCell]
    index_change: Decimal | None = None
    rank_change: int | None = None
    previous_rank: int | None = None

    # Pickled (with the results, into the shared cache), the areas travel as one text per row
    # beside the area labels, one tuple shared by every row of the type, and become cells when
    # read: a national ranking has ~10^5 area figures, a page shows a few rows (issue 15).
    _lazy = ("areas",)

    def _pack(self, name: str, areas: list[AreaCell]) -> tuple[tuple[tuple[str, str], ...], str]:
        labels = _shared(tuple((cell.code, cell.name) for cell in areas))
        figures = "|".join(
            f"{_text(cell.percent) or ''};{cell.points};{cell.max_points}" for cell in areas
        )
        return labels, figures

    def _unpack(self, name: str, packed: tuple[tuple[tuple[str, str], ...], str]) -> list[AreaCell]:
        labels, figures = packed
        cells = []
        for (code, label), area in zip(labels, figures.split("|") if labels else (), strict=True):
            percent, points, most = area.split(";")
            cells.append(
                AreaCell(
                    code,
                    label,
                    Decimal(percent) if percent else None,
                    Decimal(points),
                    Decimal(most),
                )
            )
        return cells


@functools.lru_cache(maxsize=64)
def _shared(labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """One object for equal area labels, pickled once for all the rows that hold it."""
    return labels


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def area_names(type_results: TypeResults) -> list[tuple[str, str]]:
    """(code, name) of each area of the unit type's index set, in document order."""
    return [(area.code, area.name) for area in type_results.index_set.areas]


def ranking(
    type_results: TypeResults, comparison: engine.RoundComparison | None = None
) -> list[RankingRow]:
    """Units by group and rank with their figures and their change since the previous round."""
    rows = type_results.cached("ranking", lambda: _ranking_rows(type_results))
    if comparison is None:
        return list(rows)
    changes = {change.unit_code: change for change in comparison.changes}
    return [
        replace(
            row,
            index_change=change.index_change,
            rank_change=change.rank_change,
            previous_rank=change.rank_before,
        )
        if (change := changes.get(row.unit_code))
        else row
        for row in rows
    ]


def _ranking_rows(type_results: TypeResults) -> tuple[RankingRow, ...]:
    names = dict(area_names(type_results))
    ranks = type_results.scores.ranks
    rows = []
    for code in type_results.ranked():
        score = type_results.score(code)
        info = type_results.units[code]
        rows.append(
            RankingRow(
                rank=ranks[code],
                unit_code=code,
                unit_name=info.name,
                group=info.group,
                points=score.points,
                max_points=score.max_points,
                index_percent=score.index_percent,
                band_code=score.band.code,
                band_name=score.band.name,
                areas=[
                    AreaCell(a.code, names[a.code], a.percent, a.points, a.max_points)
                    for a in score.areas
                ],
            )
        )
    return tuple(rows)


def compare(before: RoundResults | None, after: RoundResults) -> dict[str, engine.RoundComparison]:
    """Per unit type, the engine's comparison with the previous round, following unit lineage."""
    if before is None:
        return {}
    result = {}
    for type_code, now in after.types.items():
        then = before.types.get(type_code)
        if then is None:
            continue
        previous_code = {}
        for unit, info in now.units.items():
            for code in info.previous_codes or (unit,):
                if code in then.units:
                    previous_code[unit] = code
                    break
        result[type_code] = engine.compare_rounds(then.scores, now.scores, previous_code)
    return result


@dataclass
class CriterionLine:
    """A criterion of a unit's result: self, appraised and final points, lost points, reason."""

    code: str
    name: str
    depth: int
    is_leaf: bool
    kind: str
    max_points: Decimal
    points: Decimal
    lost_points: Decimal
    percent: Decimal | None
    is_excluded: bool
    self_points: Decimal | None = None
    appraised_points: Decimal | None = None
    reason: str = ""

    @property
    def is_adjusted(self) -> bool:
        return (
            self.appraised_points is not None
            and self.self_points is not None
            and self.appraised_points != self.self_points
        )


def _walk(nodes: Iterable[engine.Criterion], depth: int = 1):
    for node in nodes:
        yield node, depth
        yield from _walk(node.children, depth + 1)


def criterion_lines(type_results: TypeResults, unit_code: str) -> list[CriterionLine]:
    """Every criterion of a unit in document order with its points, lost points and reasons."""
    score = type_results.score(unit_code)
    details = type_results.details.get(unit_code, {})
    lines = []
    nodes = score.nodes
    for node, depth in _walk(type_results.index_set.criteria):
        result = nodes[node.code]
        detail = details.get(node.code, {})
        lines.append(
            CriterionLine(
                code=node.code,
                name=node.name,
                depth=depth,
                is_leaf=node.is_leaf,
                kind=str(node.kind),
                max_points=result.max_points,
                points=result.points,
                lost_points=result.lost_points,
                percent=result.percent,
                is_excluded=result.is_excluded,
                self_points=_decimal(detail.get("self")),
                appraised_points=_decimal(detail.get("appraised")),
                reason=detail.get("reason", ""),
            )
        )
    return lines


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def heat_class(percent: Decimal | None) -> str:
    """The heat-map shade of a percent (the number is always printed in the cell too)."""
    if percent is None:
        return "heat-na"
    for floor, name in ((90, "heat-4"), (80, "heat-3"), (65, "heat-2"), (50, "heat-1")):
        if percent >= floor:
            return name
    return "heat-0"


@dataclass
class LosingUnit:
    """A unit that lost points on one criterion, with the appraisers' reasons on its leaves."""

    unit_code: str
    unit_name: str
    points: Decimal
    max_points: Decimal
    lost_points: Decimal
    reasons: list[tuple[str, str]]  # (leaf code, reason)


def criterion_losses(type_results: TypeResults, code: str) -> list[LosingUnit]:
    """The units that lost points on a criterion, most lost first, with the reasons given."""
    node = type_results.index_set.criterion(code)
    leaf_codes = [leaf.code for leaf in node.leaves()]
    result = []
    for unit in type_results.ranked():
        score = type_results.score(unit)
        line = score.node(code)
        if line.lost_points <= 0:
            continue
        details = type_results.details.get(unit, {})
        reasons = [
            (leaf, details[leaf]["reason"])
            for leaf in leaf_codes
            if details.get(leaf, {}).get("reason")
        ]
        result.append(
            LosingUnit(
                unit,
                type_results.units[unit].name,
                line.points,
                line.max_points,
                line.lost_points,
                reasons,
            )
        )
    result.sort(key=lambda row: -row.lost_points)
    return result


def lost_points(type_results: TypeResults) -> list[engine.LostPoints]:
    """Criteria ranked by points lost over all units of the type (the engine's figures)."""
    return engine.lost_points(type_results.scores)


def leaf_names(type_results: TypeResults) -> dict[str, str]:
    return {node.code: node.name for node in type_results.index_set.walk()}


@dataclass
class HeadroomLine:
    """A leaf criterion with points still available to a unit."""

    code: str
    name: str
    area_code: str
    points: Decimal
    max_points: Decimal
    lost_points: Decimal


def headroom(type_results: TypeResults, unit_code: str) -> list[HeadroomLine]:
    """A unit's leaf criteria with the most points still available, most first."""
    names = leaf_names(type_results)
    area_of = {
        leaf.code: area.code for area in type_results.index_set.criteria for leaf in area.leaves()
    }
    return [
        HeadroomLine(
            node.code,
            names[node.code],
            area_of.get(node.code, ""),
            node.points,
            node.max_points,
            node.lost_points,
        )
        for node in engine.headroom(type_results.score(unit_code))
        if area_of.get(node.code) in {area.code for area in type_results.index_set.areas}
    ]


def what_if(type_results: TypeResults, unit_code: str, codes: Iterable[str]) -> engine.WhatIf:
    """The unit's index, band and rank among its peers if the chosen criteria reached full marks."""
    return engine.what_if(type_results.scores, unit_code, list(codes))


def average(values: list[Decimal]) -> Decimal | None:
    """The mean of published percentages, rounded half-up to 2 decimals by the engine's helper."""
    if not values:
        return None
    return engine.round_percent(sum(values, Decimal(0)) / len(values))


def history_line(results: RoundResults, unit_codes: Iterable[str]) -> RankingRow | None:
    """A unit's ranking line in one round, found under its own or a predecessor's code."""
    for code in unit_codes:
        type_results = results.unit_type_of(code)
        if type_results is None:
            continue
        for row in ranking(type_results):
            if row.unit_code == code:
                return row
    return None
