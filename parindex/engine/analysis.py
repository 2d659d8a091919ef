"""Analysis of results: lost points, headroom, round-on-round change, and what-if."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from operator import sub
from typing import TypeVar

from parindex.engine.decimals import points
from parindex.engine.errors import fail
from parindex.engine.layout import Span
from parindex.engine.model import Band, Kind
from parindex.engine.rounds import RoundScores
from parindex.engine.scoring import NodeScore, UnitScore, unit_score

N = TypeVar("N", int, Decimal)


@dataclass(frozen=True)
class LostPoints:
    """Points lost on one criterion, added up over the units of a round."""

    code: str
    name: str
    depth: int  # 1 for an area, 2 for its criteria, …
    is_leaf: bool
    lost_points: Decimal  # sum over the units of (effective max − points)
    units_losing: int  # units that did not reach the criterion's effective maximum
    units_applicable: int  # units for which the criterion is not wholly excluded as N/A


def lost_points(scores: RoundScores, units: Iterable[str] | None = None) -> list[LostPoints]:
    """Criteria of the normal areas, most points lost over the units (default: all) first."""
    layout = scores.index_set.layout
    leaf_max_h = layout.leaf_max_h
    spans = [span for span in layout.spans.values() if span.kind == Kind.NORMAL]
    unit_codes = list(scores.units if units is None else units)
    # One row per unit of lost hundredths per leaf (0 where excluded), then one column per leaf.
    rows: list[list[int]] = []
    # the normal criteria over each leaf, to count units that excluded a criterion wholly
    above: list[list[Span]] = [[] for _ in layout.leaves]
    for span in spans:
        for position in range(span.start, span.end):
            above[position].append(span)
    wholly_excluded: dict[str, int] = dict.fromkeys((span.node.code for span in spans), 0)
    for unit in unit_codes:
        score = scores.units.get(unit)
        if score is None:
            raise fail("unknown_unit", unit=unit)
        lost = list(map(sub, leaf_max_h, score._earned))
        if score._excluded:
            excluded_leaves: dict[Span, int] = {}
            for position in score._excluded:
                lost[position] = 0
                for span in above[position]:
                    excluded_leaves[span] = excluded_leaves.get(span, 0) + 1
            for span, count in excluded_leaves.items():
                if count == span.end - span.start:
                    wholly_excluded[span.node.code] += 1
        rows.append(lost)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in layout.leaves]
    leaf_lost = [sum(column) for column in columns]
    result: list[tuple[int, int, LostPoints]] = []
    for order, span in enumerate(spans):
        lost_h = sum(leaf_lost[span.start : span.end])
        if span.node.children:
            # a unit lost points under a branch if any of its leaves lost some
            losing = sum(map(any, zip(*columns[span.start : span.end], strict=True)))
        else:
            losing = len(unit_codes) - columns[span.start].count(0)
        row = LostPoints(
            code=span.node.code,
            name=span.node.name,
            depth=span.depth,
            is_leaf=not span.node.children,
            lost_points=points(lost_h),
            units_losing=losing,
            units_applicable=len(unit_codes) - wholly_excluded[span.node.code],
        )
        result.append((-lost_h, order, row))
    result.sort(key=lambda item: item[:2])  # most lost first, ties in document order
    return [row for _, _, row in result]


def headroom(score: UnitScore, limit: int | None = None) -> list[NodeScore]:
    """A unit's leaf criteria with points still to gain, most first (ties in document order)."""
    leaves = [score.node(leaf.code) for leaf in score._layout.leaves]
    gaining = [node for node in leaves if node.lost_points > 0]
    gaining.sort(key=lambda node: -node.lost_points)  # stable: ties keep document order
    return gaining if limit is None else gaining[:limit]


@dataclass(frozen=True)
class AreaChange:
    """How one area of a unit moved between two rounds (None where a round has no value)."""

    code: str
    percent_before: Decimal | None
    percent_after: Decimal | None
    percent_change: Decimal | None  # after − before, in percentage points
    rank_before: int | None
    rank_after: int | None
    rank_change: int | None  # before − after: > 0 means the unit moved up


@dataclass(frozen=True)
class UnitChange:
    """How a unit's index, rank and band moved between two rounds."""

    unit_code: str
    previous_code: str  # its code in the earlier round (differs after a merge or renaming)
    index_before: Decimal
    index_after: Decimal
    index_change: Decimal  # after − before, in percentage points
    rank_before: int
    rank_after: int
    rank_change: int  # before − after: > 0 means the unit moved up
    band_before: Band
    band_after: Band
    areas: tuple[AreaChange, ...]  # the later round's areas, in its order


@dataclass(frozen=True)
class RoundComparison:
    """Two rounds side by side: the units in both, and those in only one of them."""

    changes: tuple[UnitChange, ...]  # in the later round's unit order
    new_units: tuple[str, ...]  # only in the later round
    gone_units: tuple[str, ...]  # only in the earlier round (its codes)


def compare_rounds(
    before: RoundScores, after: RoundScores, previous_code: Mapping[str, str] | None = None
) -> RoundComparison:
    """Change of each unit's index (points), rank (places, > 0 = up) and areas between rounds."""
    previous_code = previous_code or {}
    before_areas = {area.code: i for i, area in enumerate(before.index_set.areas)}
    changes: list[UnitChange] = []
    new_units: list[str] = []
    matched: set[str] = set()
    for unit, now in after.units.items():
        old_code = previous_code.get(unit, unit)
        then = before.units.get(old_code)
        if then is None:
            new_units.append(unit)
            continue
        matched.add(old_code)
        areas = []
        for area in now.areas:
            position = before_areas.get(area.code)
            old_percent = None if position is None else then.areas[position].percent
            old_rank = before.area_ranks.get(area.code, {}).get(old_code)
            new_rank = after.area_ranks[area.code].get(unit)
            areas.append(
                AreaChange(
                    code=area.code,
                    percent_before=old_percent,
                    percent_after=area.percent,
                    percent_change=_minus(area.percent, old_percent),
                    rank_before=old_rank,
                    rank_after=new_rank,
                    rank_change=None
                    if old_rank is None or new_rank is None
                    else old_rank - new_rank,
                )
            )
        changes.append(
            UnitChange(
                unit_code=unit,
                previous_code=old_code,
                index_before=then.index_percent,
                index_after=now.index_percent,
                index_change=now.index_percent - then.index_percent,
                rank_before=before.ranks[old_code],
                rank_after=after.ranks[unit],
                rank_change=before.ranks[old_code] - after.ranks[unit],
                band_before=then.band,
                band_after=now.band,
                areas=tuple(areas),
            )
        )
    gone_units = tuple(unit for unit in before.units if unit not in matched)
    return RoundComparison(tuple(changes), tuple(new_units), gone_units)


def _minus(first: N | None, second: N | None) -> N | None:
    """first − second, or None when either is missing (an area excluded in one round)."""
    return None if first is None or second is None else first - second


@dataclass(frozen=True)
class WhatIf:
    """A unit's result if chosen criteria reached full marks, against its peers as they stand."""

    unit_code: str
    codes: tuple[str, ...]
    before: UnitScore
    after: UnitScore
    points_gain: Decimal  # after − before, points
    index_change: Decimal  # after − before, percentage points
    rank_before: int
    rank_after: int
    rank_change: int  # before − after: > 0 means the unit would move up


def what_if(scores: RoundScores, unit_code: str, codes: Iterable[str]) -> WhatIf:
    """A unit's points, index, band and rank if the chosen criteria or areas got full marks."""
    before = scores.units.get(unit_code)
    if before is None:
        raise fail("unknown_unit", unit=unit_code)
    layout = scores.index_set.layout
    earned = list(before._earned)
    chosen = tuple(codes)
    for code in chosen:
        span = layout.span(code)
        for position in range(span.start, span.end):
            if position not in before._excluded:
                # full marks on a penalty criterion means no penalty at all
                earned[position] = 0 if span.kind == Kind.PENALTY else layout.leaf_max_h[position]
    after = unit_score(layout, earned, sorted(before._excluded))
    rank_after = 1 + sum(
        1
        for peer in scores.peers(unit_code)
        if peer != unit_code and scores.units[peer].index_percent > after.index_percent
    )
    rank_before = scores.ranks[unit_code]
    return WhatIf(
        unit_code=unit_code,
        codes=chosen,
        before=before,
        after=after,
        points_gain=after.points - before.points,
        index_change=after.index_percent - before.index_percent,
        rank_before=rank_before,
        rank_after=rank_after,
        rank_change=rank_before - rank_after,
    )
