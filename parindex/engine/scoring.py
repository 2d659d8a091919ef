"""A unit's score: leaf points, area and total points, effective maximum, index and band."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from parindex.engine.answers import Answer, Stage
from parindex.engine.decimals import percent_of, points
from parindex.engine.errors import fail
from parindex.engine.layout import Layout, Span
from parindex.engine.model import Band, IndexSet, Kind
from parindex.engine.rules import check_stage


@dataclass(frozen=True)
class NodeScore:
    """One criterion's result for a unit.

    For a normal criterion `max_points` is its effective maximum (excluded leaves left out),
    `lost_points` = max − points and `percent` its share (None when wholly excluded). Bonus and
    penalty criteria stand outside the maximum: their `points` are capped at their maximum, their
    `lost_points` is 0 and their `percent` None.
    """

    code: str
    points: Decimal
    max_points: Decimal
    lost_points: Decimal
    percent: Decimal | None
    is_excluded: bool


@dataclass(frozen=True)
class UnitScore:
    """A unit's published result under one index set."""

    points: Decimal  # base + bonus − penalty, clamped to [0, max_points]
    max_points: Decimal  # effective maximum: areas' leaves that are not excluded as N/A
    index_percent: Decimal  # points / max_points × 100, rounded half-up to 2 decimals
    band: Band
    base_points: Decimal  # points of the normal criteria, before bonus and penalty
    bonus_points: Decimal  # bonus counted (each bonus criterion capped at its maximum)
    penalty_points: Decimal  # penalty counted (each penalty criterion capped at its maximum)
    areas: tuple[NodeScore, ...]  # top-level normal criteria, in document order
    # Internal: leaf points in hundredths in layout order, and the positions of excluded leaves.
    _earned: tuple[int, ...] = field(repr=False)
    _excluded: frozenset[int] = field(repr=False)
    _layout: Layout = field(repr=False, compare=False)

    def __reduce__(self) -> tuple[Callable[..., UnitScore], tuple[Layout, list[int], list[int]]]:
        """Pickled as the leaf points it is computed from, and computed again from them when
        loaded (`unit_score`): the same figures, without pickling some forty Decimals and
        eight area scores per unit (a national round's results in the shared cache)."""
        return unit_score, (self._layout, list(self._earned), sorted(self._excluded))

    def node(self, code: str) -> NodeScore:
        """The result of any criterion of the set (area, criterion or leaf) for this unit."""
        return _node_score(self, self._layout.span(code))

    @cached_property
    def nodes(self) -> dict[str, NodeScore]:
        """The result of every criterion, by code, parents before children."""
        return {code: _node_score(self, span) for code, span in self._layout.spans.items()}

    def leaf_points(self, code: str) -> Decimal | None:
        """Points a leaf scored for this unit; None if it was excluded as not applicable."""
        position = self._layout.leaf_index.get(code)
        if position is None:
            raise self._layout.leaf_error(code)
        return None if position in self._excluded else points(self._earned[position])

    def leaf_codes(self) -> tuple[str, ...]:
        """The set's leaf codes in the order of `leaf_hundredths`."""
        return self._layout.leaf_codes

    def leaf_hundredths(self) -> tuple[int | None, ...]:
        """Every leaf's points in hundredths in the set's order, None where excluded: for a
        caller that writes out every leaf of every unit (10^5 of them in a national round)."""
        if not self._excluded:
            return self._earned
        excluded = self._excluded
        return tuple(None if i in excluded else h for i, h in enumerate(self._earned))


def score_unit(
    index_set: IndexSet,
    answers: Mapping[str, Answer],
    survey: Mapping[str, Answer] | None = None,
) -> UnitScore:
    """Score one unit: `answers` are final (appraised, else self) values, `survey` survey leaves."""
    layout = index_set.layout
    earned, excluded = earned_points(layout, answers, survey)
    return unit_score(layout, earned, excluded)


# Per leaf position, a leaf's points for an answer object by the answer's id: the answer is kept
# in the value, so its id cannot be reused by another object while the memo lives.
Memo = list[dict[int, tuple[Answer, int | None]]]


def new_memo(layout: Layout) -> Memo:
    """An empty memo for `earned_points` over the leaves of `layout`."""
    return [{} for _ in layout.leaves]


def earned_points(
    layout: Layout,
    answers: Mapping[str, Answer],
    survey: Mapping[str, Answer] | None,
    memo: Memo | None = None,
) -> tuple[list[int], list[int]]:
    """Each leaf's points in hundredths (0 if unanswered) and the positions excluded as N/A.

    With a `memo`, each leaf evaluates each answer object once: a round's callers share one
    answer object among the units that gave the same value (10^5 answers, few distinct).
    """
    if memo is None:
        memo = new_memo(layout)
    earned = [0] * len(layout.leaves)
    excluded: list[int] = []
    # local names: this loop runs once per answer of every unit of a round
    leaf_index, evaluators, survey_leaf = layout.leaf_index, layout.evaluators, layout.is_survey
    for values, is_survey in ((answers, False), (survey, True)):
        if not values:
            continue
        for code, answer in values.items():
            position = leaf_index.get(code)
            if position is None:
                raise layout.leaf_error(code)
            if survey_leaf[position] is not is_survey:
                check_stage(layout.leaves[position], Stage.SURVEY if is_survey else Stage.SELF)
            seen = memo[position]
            known = seen.get(id(answer))
            if known is None:
                value = evaluators[position](answer)
                seen[id(answer)] = (answer, value)
            else:
                value = known[1]
            if value is None:
                excluded.append(position)
            else:
                earned[position] = value
    return earned, excluded


def unit_score(layout: Layout, earned: list[int], excluded: list[int]) -> UnitScore:
    """Add leaf points (hundredths) up into areas, bonus, penalty, total, index and band."""
    excluded_h = [0] * len(layout.areas)
    leaf_area = layout.leaf_area
    leaf_max_h = layout.leaf_max_h
    for position in excluded:
        if leaf_area[position] >= 0:
            excluded_h[leaf_area[position]] += leaf_max_h[position]
    base = 0
    effective_max = 0
    areas = []
    for area, area_excluded_h in zip(layout.areas, excluded_h, strict=True):
        area_points = sum(earned[area.start : area.end])
        area_max = area.max_h - area_excluded_h
        base += area_points
        effective_max += area_max
        areas.append(
            NodeScore(
                area.node.code,
                points(area_points),
                points(area_max),
                points(area_max - area_points),
                percent_of(area_points, area_max) if area_max else None,
                not area_max,
            )
        )
    if not effective_max:
        raise fail("nothing_applicable")
    bonus = sum(min(sum(earned[span.start : span.end]), span.max_h) for span in layout.bonuses)
    penalty = sum(min(sum(earned[span.start : span.end]), span.max_h) for span in layout.penalties)
    total = min(max(base + bonus - penalty, 0), effective_max)
    index_percent = percent_of(total, effective_max)
    return UnitScore(
        points=points(total),
        max_points=points(effective_max),
        index_percent=index_percent,
        band=layout.band_for(index_percent),
        base_points=points(base),
        bonus_points=points(bonus),
        penalty_points=points(penalty),
        areas=tuple(areas),
        _earned=tuple(earned),
        _excluded=frozenset(excluded),
        _layout=layout,
    )


def _node_score(score: UnitScore, span: Span) -> NodeScore:
    """One criterion's points, effective maximum, lost points and percent for a unit."""
    earned = sum(score._earned[span.start : span.end])
    if span.kind != Kind.NORMAL:
        capped = min(earned, span.max_h)
        return NodeScore(span.node.code, points(capped), points(span.max_h), points(0), None, False)
    leaf_max_h = score._layout.leaf_max_h
    excluded_h = sum(leaf_max_h[i] for i in score._excluded if span.start <= i < span.end)
    node_max = span.max_h - excluded_h
    return NodeScore(
        span.node.code,
        points(earned),
        points(node_max),
        points(node_max - earned),
        percent_of(earned, node_max) if node_max else None,
        not node_max,
    )
