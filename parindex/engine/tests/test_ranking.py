"""Competition ranking on published values, overall and within groups."""

from __future__ import annotations

import pytest

from parindex.engine import EngineError, competition_ranks, ranks_within
from parindex.engine.tests.builders import D


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"A": D("91.2"), "B": D("88")}, {"A": 1, "B": 2}),
        ({"A": D("90"), "B": D("90"), "C": D("75")}, {"A": 1, "B": 1, "C": 3}),
        (
            {"A": D("95"), "B": D("90"), "C": D("90"), "D": D("80")},
            {"A": 1, "B": 2, "C": 2, "D": 4},
        ),
        ({"A": D("85.90"), "B": D("85.9")}, {"A": 1, "B": 1}),
        ({"A": D("0"), "B": D("0")}, {"A": 1, "B": 1}),
        ({}, {}),
    ],
    ids=["distinct", "tie-skips-next-rank", "1-2-2-4", "equal-decimals-tie", "all-zero", "empty"],
)
def test_competition_ranks(values, expected):
    assert competition_ranks(values) == expected


def test_ranks_are_computed_within_each_group():
    values = {"S1": D("90"), "X1": D("70"), "S2": D("80"), "X2": D("70"), "X3": D("95")}
    groups = {"S1": "SO", "S2": "SO", "X1": "XA", "X2": "XA", "X3": "XA"}
    assert ranks_within(values, groups) == {"S1": 1, "X1": 2, "S2": 2, "X2": 2, "X3": 1}


def test_without_groups_everyone_is_ranked_together():
    assert ranks_within({"A": D("1"), "B": D("2")}) == {"A": 2, "B": 1}


def test_a_unit_missing_from_the_groups_is_refused():
    with pytest.raises(
        EngineError, check=lambda exception: exception.code == "unit_without_group"
    ) as raised:
        ranks_within({"A": D("1"), "B": D("2")}, {"A": "SO"})
    assert (raised.value.code, raised.value.params) == ("unit_without_group", {"unit": "B"})
