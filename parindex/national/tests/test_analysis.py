"""The analysis arithmetic: ranks with ties, changes, merged provinces, groups, headroom."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.national.analysis import (
    DEFAULT_GROUPS,
    AnalysisError,
    Area,
    Row,
    Table,
    analyse,
    competition_rank,
    group_of,
    headroom,
    project,
    rank_among,
    trend,
)


def table(year, values, areas=None):
    return Table(
        year,
        tuple(
            Row(name, D(value), {c: D(v) for c, v in (areas or {}).get(name, {}).items()})
            for name, value in values.items()
        ),
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"A": "91.2", "B": "88"}, {"A": 1, "B": 2}),
        ({"A": "90", "B": "90", "C": "75"}, {"A": 1, "B": 1, "C": 3}),
        ({"A": "85.95", "B": "85.949", "C": "85.94"}, {"A": 1, "B": 1, "C": 3}),
        (
            {"A": "80", "B": "82", "C": "82", "D": "82", "E": "79"},
            {"A": 4, "B": 1, "C": 1, "D": 1, "E": 5},
        ),
    ],
    ids=["distinct", "tie-skips-next-rank", "ties-on-published-two-decimals", "three-way-tie"],
)
def test_competition_rank(values, expected):
    assert competition_rank({k: D(v) for k, v in values.items()}) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("95", "A"), ("90", "A"), ("89.99", "B"), ("80", "B"), ("70", "C"), ("69.99", None)],
)
def test_group_thresholds_include_their_lower_bound(value, expected):
    assert group_of(D(value), DEFAULT_GROUPS) == expected


def test_rank_among_shares_the_rank_of_an_equal_value():
    assert rank_among(D("88"), [D("90"), D("88"), D("87")]) == 2


def test_analysis_of_a_province_that_moved_down():
    previous = table(2021, {"A": "90", "B": "89", "C": "88", "D": "87"})
    current = table(2022, {"A": "91", "B": "86", "C": "88", "D": "88"})
    result = analyse(province="B", current=current, previous=previous, areas=[])
    assert (result.rank, result.of, result.previous_rank, result.rank_change) == (4, 4, 2, -2)
    assert result.points_change == D("-3")
    assert result.national_average == D("88.25")
    assert result.distance_to_average == D("-2.25")
    assert result.top_provinces == ("A",) and result.distance_to_top == D("5")
    # C and D share rank 2; the next rank up is 2, two points away.
    assert (result.next_rank_up, result.distance_to_next_up) == (2, D("2"))
    assert result.next_up_provinces == ("C", "D")
    assert result.group == "B"


def test_the_leader_has_no_next_rank_up():
    result = analyse(
        province="A", current=table(2022, {"A": "91", "B": "86"}), previous=None, areas=[]
    )
    assert result.rank == 1 and result.next_rank_up is None and result.distance_to_top == 0
    assert result.previous_rank is None and result.rank_change is None


def test_a_province_missing_from_the_previous_year_has_no_change():
    previous = table(2021, {"A": "90", "C": "88"})
    current = table(2022, {"A": "91", "B": "86", "C": "88"})
    result = analyse(province="B", current=current, previous=previous, areas=[])
    assert (result.previous_rank, result.rank_change, result.points_change) == (None, None, None)
    assert result.previous_year == 2021


def test_a_province_missing_from_the_current_year_cannot_be_analysed():
    with pytest.raises(AnalysisError, match="Z is not in the 2022 table"):
        analyse(province="Z", current=table(2022, {"A": "91"}), previous=None, areas=[])


def test_area_ranks_and_changes():
    areas = [Area("1", "Chỉ đạo, điều hành", D("10"))]
    previous = table(2021, {"A": "90", "B": "89"}, {"A": {"1": "95"}, "B": {"1": "80"}})
    current = table(2022, {"A": "90", "B": "89"}, {"A": {"1": "85"}, "B": {"1": "90"}})
    [area] = analyse(province="B", current=current, previous=previous, areas=areas).areas
    assert (area.rank, area.previous_rank, area.rank_change) == (1, 2, 1)
    assert area.national_average == D("87.50") and area.best_percent == D("90")
    assert area.lost_points == D("1.00")


def test_merged_provinces_are_compared_with_the_mean_of_their_predecessors():
    previous = table(2024, {"Tuyên Quang": "88", "Hà Giang": "84", "Hà Tĩnh": "89.72", "Huế": "87"})
    current = table(2025, {"Tuyên Quang": "86.50", "Hà Tĩnh": "90", "Huế": "85"})
    predecessors = {"Tuyên Quang": ("Hà Giang", "Tuyên Quang")}
    recut = project(previous, predecessors, ["Tuyên Quang", "Hà Tĩnh", "Huế"])
    assert recut.row("Tuyên Quang").index_percent == D("86.00")
    assert recut.size == 3
    result = analyse(
        province="Hà Tĩnh", current=current, previous=previous, areas=[], predecessors=predecessors
    )
    assert (result.rank, result.of, result.previous_rank, result.previous_of) == (1, 3, 1, 3)
    assert result.is_projected
    assert (result.published_previous_rank, result.published_previous_of) == (1, 4)
    merged = analyse(
        province="Tuyên Quang",
        current=current,
        previous=previous,
        areas=[],
        predecessors=predecessors,
    )
    assert (merged.previous_index, merged.previous_rank, merged.rank_change) == (D("86.00"), 3, 1)


def test_headroom_places_the_province_among_the_others():
    current = table(2022, {"A": "91", "B": "88", "C": "87", "D": "86"})
    result = headroom(label="x", points=D("1.5"), province="D", table=current, total_points=D(100))
    assert (result.index_percent, result.rank, result.places_gained) == (D("87.50"), 3, 1)
    equal = headroom(label="x", points=D("2"), province="D", table=current, total_points=D(100))
    assert (equal.rank, equal.places_gained) == (2, 2)  # equal to B shares its rank


def test_area_headroom_needs_the_areas_maximum_points():
    current = table(2022, {"A": "91", "B": "86"}, {"B": {"1": "50"}})
    without = analyse(province="B", current=current, previous=None, areas=[Area("1", "x")])
    assert without.area_headroom == ()
    areas = [Area("1", "x", D(10)), Area("2", "y", D(90))]  # the index is out of 100 points
    with_max = analyse(province="B", current=current, previous=None, areas=areas)
    [item] = with_max.area_headroom
    assert (item.points, item.index_percent, item.rank) == (D("5.00"), D("91.00"), 1)


def test_trend_lists_every_year_with_the_province_rank():
    points = trend([table(2022, {"A": "90", "B": "88"}), table(2021, {"A": "80"})], "B")
    assert [(p.year, p.rank, p.of) for p in points] == [(2021, None, 1), (2022, 2, 2)]
