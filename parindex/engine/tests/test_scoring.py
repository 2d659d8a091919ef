"""A unit's score: totals, effective maximum, bonus and penalty, index, areas and bands."""

from __future__ import annotations

from typing import Any

import pytest

from parindex.engine import (
    Choice,
    EngineError,
    NodeScore,
    NotApplicable,
    Percent,
    Points,
    score_unit,
)
from parindex.engine.tests.builders import CHOICE, D, branch, leaf, make_set

# Area A (10 points: A.1 = 4, A.2 = 6 excludable), area Z (10 points, Z.1 excludable),
# a bonus capped at 2 over two 1.5-point items, and a penalty of up to 3.
INDEX_SET = make_set(
    branch("A", leaf("A.1", 4), leaf("A.2", 6, not_applicable="exclude")),
    branch("Z", leaf("Z.1", 10, not_applicable="exclude")),
    branch("B", leaf("B.1", 1.5), leaf("B.2", 1.5), kind="bonus", max_points=2),
    leaf("P", 3, kind="penalty"),
)


def answers(**points: Any) -> dict[str, Any]:
    """Answers by leaf code (dots written as underscores): numbers become Points, 'na' N/A."""
    return {
        code.replace("_", "."): NotApplicable() if value == "na" else Points(D(str(value)))
        for code, value in points.items()
    }


TOTAL_CASES = [
    # (answers, points, max_points, index_percent, bonus, penalty)
    (answers(A_1=4, A_2=6, Z_1=10), "20", "20", "100.00", "0", "0"),
    (answers(A_1=2, A_2=3, Z_1=5), "10", "20", "50.00", "0", "0"),
    (answers(), "0", "20", "0.00", "0", "0"),
    (answers(A_1=4, A_2="na", Z_1=5), "9", "14", "64.29", "0", "0"),
    (answers(A_1=2, A_2=3, Z_1=5, B_1=1.5), "11.5", "20", "57.50", "1.5", "0"),
    (answers(A_1=2, A_2=3, Z_1=5, B_1=1.5, B_2=1.5), "12", "20", "60.00", "2", "0"),
    (answers(A_1=4, A_2=6, Z_1=9, B_1=1.5, B_2=1.5), "20", "20", "100.00", "2", "0"),
    (answers(A_1=2, A_2=3, Z_1=5, P=2.5), "7.5", "20", "37.50", "0", "2.5"),
    (answers(A_1=1, P=3), "0", "20", "0.00", "0", "3"),
    (answers(A_1=4, A_2=6, Z_1=9, B_1=1.5, B_2=1, P=0.5), "20", "20", "100.00", "2", "0.5"),
]
TOTAL_IDS = [
    "full-marks",
    "half-marks",
    "nothing-answered-scores-zero",
    "excluded-leaf-leaves-the-max",
    "bonus-adds",
    "bonus-capped-at-its-max",
    "bonus-cannot-pass-the-max",
    "penalty-subtracts",
    "penalty-cannot-go-below-zero",
    "bonus-and-penalty-then-clamp",
]


@pytest.mark.parametrize(
    ("given", "total", "maximum", "index", "bonus", "penalty"), TOTAL_CASES, ids=TOTAL_IDS
)
def test_unit_totals(given, total, maximum, index, bonus, penalty):
    score = score_unit(INDEX_SET, given)
    assert (score.points, score.max_points, score.index_percent) == (D(total), D(maximum), D(index))
    assert (score.bonus_points, score.penalty_points) == (D(bonus), D(penalty))


def test_base_points_are_the_areas_before_bonus_and_penalty():
    score = score_unit(INDEX_SET, answers(A_1=4, A_2=6, Z_1=9, B_1=1.5, P=0.5))
    assert score.base_points == D("19")
    assert score.points == D("20")


def test_an_area_wholly_excluded_has_no_percent():
    score = score_unit(INDEX_SET, answers(A_1=3, A_2=6, Z_1="na"))
    area_a, area_z = score.areas
    assert area_a == NodeScore("A", D("9"), D("10"), D("1"), D("90.00"), False)
    assert area_z == NodeScore("Z", D("0"), D("0"), D("0"), None, True)
    assert score.index_percent == D("90.00")


def test_a_unit_with_every_leaf_excluded_cannot_be_scored():
    index_set = make_set(branch("A", leaf("A.1", 1, not_applicable="exclude")))
    with pytest.raises(EngineError, check=lambda exception: exception.code == "nothing_applicable"):
        score_unit(index_set, {"A.1": NotApplicable()})


def test_full_not_applicable_scores_the_max_and_stays_in_it():
    index_set = make_set(branch("A", leaf("A.1", 4), leaf("A.2", 6, not_applicable="full")))
    score = score_unit(index_set, {"A.2": NotApplicable()})
    assert (score.points, score.max_points) == (D("6"), D("10"))


@pytest.mark.parametrize(
    ("earned", "index"),
    [("171.89", "85.95"), ("171.88", "85.94"), ("171.90", "85.95"), ("179.99", "90.00")],
    ids=["exact-half-rounds-up", "below-half-rounds-down", "exact", "89.995-rounds-to-90"],
)
def test_the_index_is_rounded_half_up_once(earned, index):
    index_set = make_set(branch("A", leaf("A.1", 200)))
    score = score_unit(index_set, {"A.1": Points(D(earned))})
    assert score.index_percent == D(index)
    assert score.areas[0].percent == D(index)


def test_the_index_comes_from_exact_points_not_rounded_areas():
    index_set = make_set(branch("A", leaf("A.1", 3)), branch("Z", leaf("Z.1", 3)))
    score = score_unit(index_set, {"A.1": Points(D("1")), "Z.1": Points(D("1"))})
    assert [area.percent for area in score.areas] == [D("33.33"), D("33.33")]
    assert score.index_percent == D("33.33")
    other = score_unit(index_set, {"A.1": Points(D("2")), "Z.1": Points(D("0.01"))})
    assert [area.percent for area in other.areas] == [D("66.67"), D("0.33")]
    assert other.index_percent == D("33.50")  # 2.01 / 6, not (66.67 + 0.33) / 2


@pytest.mark.parametrize(
    ("earned", "band"),
    [
        ("200", "TOT"),
        ("180", "TOT"),
        ("179.99", "TOT"),
        ("179.98", "KHA"),
        ("130", "TB"),
        ("129.98", "YEU"),
        ("0", "YEU"),
    ],
    ids=["top", "on-threshold", "rounds-up-to-it", "just-below", "third", "below", "zero"],
)
def test_the_band_follows_the_published_index(earned, band):
    index_set = make_set(branch("A", leaf("A.1", 200)))
    assert score_unit(index_set, {"A.1": Points(D(earned))}).band.code == band


def test_node_scores_cover_every_criterion():
    score = score_unit(INDEX_SET, answers(A_1=3, A_2="na", Z_1=10, B_1=1.5, B_2=1.5, P=1))
    assert list(score.nodes) == ["A", "A.1", "A.2", "Z", "Z.1", "B", "B.1", "B.2", "P"]
    assert score.nodes["A.1"] == NodeScore("A.1", D("3"), D("4"), D("1"), D("75.00"), False)
    assert score.nodes["A.2"] == NodeScore("A.2", D("0"), D("0"), D("0"), None, True)
    assert score.nodes["A"] == NodeScore("A", D("3"), D("4"), D("1"), D("75.00"), False)
    assert score.node("B") == NodeScore("B", D("2"), D("2"), D("0"), None, False)
    assert score.node("P") == NodeScore("P", D("1"), D("3"), D("0"), None, False)


def test_leaf_points_of_a_unit():
    score = score_unit(INDEX_SET, answers(A_1=3, A_2="na"))
    assert (score.leaf_points("A.1"), score.leaf_points("A.2"), score.leaf_points("Z.1")) == (
        D("3"),
        None,
        D("0"),
    )


def test_survey_values_come_separately_from_answers():
    index_set = make_set(
        branch("A", leaf("A.1", 1, rule=CHOICE)),
        branch("S", leaf("S.1", 20, source="survey", rule={"type": "proportional"})),
    )
    score = score_unit(index_set, {"A.1": Choice("Chậm")}, survey={"S.1": Percent(D("87.5"))})
    assert score.points == D("18")  # 0.5 + 17.5
    with pytest.raises(
        EngineError, check=lambda exception: exception.code == "survey_answer_required"
    ) as raised:
        score_unit(index_set, {"S.1": Percent(D("87.5"))})
    assert (raised.value.code, raised.value.node_code) == ("survey_answer_required", "S.1")
    with pytest.raises(
        EngineError, check=lambda exception: exception.code == "not_a_survey_leaf"
    ) as raised:
        score_unit(index_set, {}, survey={"A.1": Choice("Chậm")})
    assert (raised.value.code, raised.value.node_code) == ("not_a_survey_leaf", "A.1")


@pytest.mark.parametrize(
    ("code", "error"),
    [("X.9", "unknown_criterion"), ("A", "not_a_leaf")],
    ids=["unknown-code", "branch-code"],
)
def test_answers_must_name_leaves_of_the_set(code, error):
    with pytest.raises(EngineError, check=lambda exception: exception.code == error) as raised:
        score_unit(INDEX_SET, {code: Points(D("1"))})
    assert (raised.value.code, raised.value.node_code) == (error, code)


def test_an_unknown_node_is_refused():
    score = score_unit(INDEX_SET, {})
    with pytest.raises(EngineError, match="nope") as refused:
        score.node("nope")
    assert refused.value.code == "unknown_criterion"
