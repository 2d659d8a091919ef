"""Competition ranking on published (rounded) values, overall or within groups."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

from parindex.engine.errors import fail

K = TypeVar("K", bound=Hashable)


def competition_ranks(values: Mapping[K, Decimal]) -> dict[K, int]:
    """Rank highest first; equal values share a rank and the next rank is skipped (1, 2, 2, 4)."""
    first_place: dict[Decimal, int] = {}
    for place, value in enumerate(sorted(values.values(), reverse=True), start=1):
        first_place.setdefault(value, place)
    return {key: first_place[value] for key, value in values.items()}


def ranks_within(
    values: Mapping[K, Decimal], groups: Mapping[K, Hashable] | None = None
) -> dict[K, int]:
    """Competition ranks computed separately in each group (unit type or peer group)."""
    if groups is None:
        return competition_ranks(values)
    members: dict[Hashable, dict[K, Decimal]] = {}
    for key, value in values.items():
        if key not in groups:
            raise fail("unit_without_group", unit=key)
        members.setdefault(groups[key], {})[key] = value
    ranks: dict[K, int] = {}
    for group_values in members.values():
        ranks.update(competition_ranks(group_values))
    return {key: ranks[key] for key in values}
