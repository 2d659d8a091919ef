"""Scoring a whole round: every unit's result and its rank within its group."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from parindex.engine.answers import Answer
from parindex.engine.errors import EngineError, fail
from parindex.engine.model import IndexSet
from parindex.engine.ranking import ranks_within
from parindex.engine.scoring import UnitScore, earned_points, new_memo, unit_score


@dataclass(frozen=True)
class RoundScores:
    """Every unit's result in a round under one index set, with ranks within each group."""

    index_set: IndexSet
    units: Mapping[str, UnitScore]  # by unit code, in the order the units were given
    ranks: Mapping[str, int]  # competition rank on index_percent within the unit's group
    groups: Mapping[str, Hashable]  # unit code -> ranking group (None: one group for all)

    def peers(self, unit_code: str) -> list[str]:
        """The units ranked together with this one (its group), itself included."""
        if unit_code not in self.units:
            raise fail("unknown_unit", unit=unit_code)
        group = self.groups[unit_code]
        return [unit for unit in self.units if self.groups[unit] == group]

    def ranked(self) -> list[str]:
        """Unit codes group by group (in order of first appearance), by rank, then by code."""
        group_order: dict[Hashable, int] = {}
        for unit in self.units:
            group_order.setdefault(self.groups[unit], len(group_order))
        return sorted(
            self.units, key=lambda unit: (group_order[self.groups[unit]], self.ranks[unit], unit)
        )

    @cached_property
    def area_ranks(self) -> dict[str, dict[str, int]]:
        """Per area code, each unit's rank on its area percent within its group (if it has one)."""
        result: dict[str, dict[str, int]] = {}
        for position, area in enumerate(self.index_set.layout.areas):
            percents: dict[str, Decimal] = {}
            for unit, score in self.units.items():
                percent = score.areas[position].percent
                if percent is not None:
                    percents[unit] = percent
            result[area.node.code] = ranks_within(percents, self.groups)
        return result


def score_round(
    index_set: IndexSet,
    answers_by_unit: Mapping[str, Mapping[str, Answer]],
    groups: Mapping[str, Hashable] | None = None,
    survey_by_unit: Mapping[str, Mapping[str, Answer]] | None = None,
) -> RoundScores:
    """Score every unit of a round and rank it within its group (all together when no groups)."""
    survey_by_unit = survey_by_unit or {}
    for unit in survey_by_unit:
        if unit not in answers_by_unit:
            raise fail("unknown_unit", unit=unit)
    layout = index_set.layout
    units: dict[str, UnitScore] = {}
    memo = new_memo(layout)
    for unit, answers in answers_by_unit.items():
        try:
            earned, excluded = earned_points(layout, answers, survey_by_unit.get(unit), memo)
            units[unit] = unit_score(layout, earned, excluded)
        except EngineError as error:
            raise error.for_unit(unit) from None
    index = {unit: score.index_percent for unit, score in units.items()}
    ranks = ranks_within(index, groups)
    unit_groups: Mapping[str, Hashable] = (
        dict.fromkeys(units) if groups is None else {unit: groups[unit] for unit in units}
    )
    return RoundScores(index_set, units, ranks, unit_groups)
