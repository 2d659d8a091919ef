"""Lost points, headroom, round-on-round comparison and what-if."""

from __future__ import annotations

import pytest

from parindex.engine import (
    Answer,
    AreaChange,
    EngineError,
    LostPoints,
    NotApplicable,
    Points,
    compare_rounds,
    headroom,
    lost_points,
    score_round,
    what_if,
)
from parindex.engine.tests.builders import D, branch, leaf, make_set

INDEX_SET = make_set(
    branch(
        "1",
        branch("1.1", leaf("1.1.1", 2), leaf("1.1.2", 3, not_applicable="exclude")),
        leaf("1.2", 5),
    ),
    branch("2", leaf("2.1", 10)),
    leaf("B", 1, kind="bonus"),
    leaf("P", 2, kind="penalty"),
)


def answers(**points: str) -> dict[str, Answer]:
    return {
        code.replace("_", "."): NotApplicable() if value == "na" else Points(D(value))
        for code, value in points.items()
    }


ROUND = score_round(
    INDEX_SET,
    {
        "U1": answers(**{"1_1_1": "2", "1_1_2": "3", "1_2": "5", "2_1": "6"}),  # lost 4 on 2.1
        "U2": answers(**{"1_1_1": "1", "1_1_2": "na", "1_2": "5", "2_1": "10"}),  # lost 1
        "U3": answers(**{"1_1_1": "0", "1_1_2": "na", "1_2": "4", "2_1": "10", "P": "2"}),
    },
)


def test_lost_points_rank_criteria_by_points_lost_over_all_units():
    rows = lost_points(ROUND)
    assert [(row.code, row.lost_points) for row in rows] == [
        ("1", D("4")),  # ties keep document order
        ("2", D("4")),
        ("2.1", D("4")),
        ("1.1", D("3")),
        ("1.1.1", D("3")),
        ("1.2", D("1")),
        ("1.1.2", D("0")),
    ]
    assert rows[3] == LostPoints("1.1", "Lĩnh vực 1.1", 2, False, D("3"), 2, 3)
    assert rows[4] == LostPoints("1.1.1", "Tiêu chí 1.1.1", 3, True, D("3"), 2, 3)
    assert rows[6] == LostPoints("1.1.2", "Tiêu chí 1.1.2", 3, True, D("0"), 0, 1)


def test_lost_points_over_chosen_units_only():
    rows = {row.code: row for row in lost_points(ROUND, units=["U2", "U3"])}
    assert rows["1"].lost_points == D("4") and rows["1"].units_losing == 2
    assert rows["2.1"].lost_points == D("0") and rows["2.1"].units_losing == 0
    assert rows["1.1.2"].units_applicable == 0
    with pytest.raises(EngineError, match="U9") as refused:
        lost_points(ROUND, units=["U9"])
    assert refused.value.code == "unknown_unit"


def test_headroom_lists_a_units_leaves_with_most_points_to_gain_first():
    rows = headroom(ROUND.units["U3"])
    assert [(row.code, row.lost_points) for row in rows] == [("1.1.1", D("2")), ("1.2", D("1"))]
    assert [row.code for row in headroom(ROUND.units["U1"], limit=1)] == ["2.1"]


def test_what_if_an_area_reaches_full_marks():
    result = what_if(ROUND, "U1", ["2"])
    assert (result.before.points, result.after.points) == (D("16"), D("20"))
    assert (result.before.index_percent, result.after.index_percent) == (D("80.00"), D("100.00"))
    assert (result.after.band.code, result.points_gain, result.index_change) == (
        "TOT",
        D("4"),
        D("20.00"),
    )
    assert (result.rank_before, result.rank_after, result.rank_change) == (2, 1, 1)
    assert ROUND.units["U1"].points == D("16")  # the round itself is unchanged


def test_what_if_keeps_excluded_leaves_out_and_lifts_penalties():
    result = what_if(ROUND, "U3", ["1.1", "P"])
    assert result.after.max_points == result.before.max_points == D("17")
    assert (result.before.points, result.after.points) == (D("12"), D("16"))
    assert result.after.penalty_points == D("0")


def test_what_if_reaching_a_peers_index_shares_its_rank():
    result = what_if(ROUND, "U3", ["1.1.1", "P"])  # 16 of 17, as U2 has
    assert result.after.index_percent == ROUND.units["U2"].index_percent == D("94.12")
    assert (result.rank_before, result.rank_after) == (3, 1)


def test_what_if_on_criteria_already_full_changes_nothing():
    result = what_if(ROUND, "U1", ["1"])
    assert (result.points_gain, result.index_change, result.rank_change) == (D("0"), D("0"), 0)


@pytest.mark.parametrize(
    ("unit", "codes", "error"),
    [("U9", ["2"], "unknown_unit"), ("U1", ["9"], "unknown_criterion")],
    ids=["unknown-unit", "unknown-criterion"],
)
def test_what_if_refuses_unknown_units_and_criteria(unit, codes, error):
    with pytest.raises(EngineError, check=lambda exception: exception.code == error):
        what_if(ROUND, unit, codes)


def test_compare_rounds_gives_index_and_rank_changes():
    later = score_round(
        INDEX_SET,
        {
            "U1": answers(**{"1_1_1": "2", "1_1_2": "3", "1_2": "5", "2_1": "10"}),  # up to 1st
            "U2N": answers(**{"1_1_1": "0", "1_1_2": "na", "1_2": "5", "2_1": "10"}),
            "U4": answers(**{"1_1_1": "0", "1_1_2": "na", "1_2": "0", "2_1": "0"}),
        },
    )
    comparison = compare_rounds(ROUND, later, previous_code={"U2N": "U2"})
    assert comparison.new_units == ("U4",)
    assert comparison.gone_units == ("U3",)
    first, second = comparison.changes
    assert (first.unit_code, first.index_before, first.index_after, first.index_change) == (
        "U1",
        D("80.00"),
        D("100.00"),
        D("20.00"),
    )
    assert (first.rank_before, first.rank_after, first.rank_change) == (2, 1, 1)
    assert (second.unit_code, second.previous_code, second.rank_change) == ("U2N", "U2", -1)
    assert second.areas[0] == AreaChange("1", D("85.71"), D("71.43"), D("-14.28"), 2, 2, 0)
