"""Survey arithmetic: exact percents per group, question and leaf; points; losses; samples."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.engine import Percent, Ratio, parse_index_set
from parindex.engine.surveys import (
    SurveyDesign,
    SurveyQuestion,
    losses,
    percent_answer,
    question_result,
    round_fraction,
    sample_size,
    satisfaction,
    score_survey,
)

SCALE = {"A": D(100), "B": D(60), "C": D(20), "D": D(0), "X": None}
SET = parse_index_set(
    {
        "code": "T",
        "name": "T",
        "unit_type": "SO",
        "valid_from": 2026,
        "bands": [{"code": "A", "name": "A", "min_percent": 0}],
        "criteria": [
            {
                "code": "8",
                "name": "Điều tra",
                "children": [
                    {
                        "code": "8.1",
                        "name": "a",
                        "max_points": 4,
                        "source": "survey",
                        "rule": {"type": "proportional"},
                    },
                    {
                        "code": "8.2",
                        "name": "b",
                        "max_points": 3,
                        "source": "survey",
                        "rule": {
                            "type": "percent_tiers",
                            "tiers": [
                                {"min_percent": 80, "points": 3},
                                {"min_percent": 50, "points": 1},
                            ],
                        },
                    },
                ],
            }
        ],
    }
)
LEAVES = {leaf.code: leaf for leaf in SET.leaves()}


def design(min_responses: int = 1) -> SurveyDesign:
    return SurveyDesign(
        min_responses=min_responses,
        weights={"LDP": D(2), "DN": D(1)},
        questions=(
            SurveyQuestion("Q1", "8.1", ("LDP", "DN"), SCALE),
            SurveyQuestion("Q2", "8.1", ("LDP",), SCALE),
            SurveyQuestion("Q3", "8.2", ("DN",), {"C": D(100), "K": D(0)}),
        ),
    )


@pytest.mark.parametrize(
    ("by_group", "min_responses", "percent", "responses"),
    [
        ({"LDP": {"A": 1, "B": 1}, "DN": {"C": 2}}, 1, F(2 * 80 + 20, 3), 4),
        ({"LDP": {"A": 3}, "DN": {"X": 5}}, 1, F(100), 3),
        ({"LDP": {"A": 1}, "DN": {"D": 2}}, 2, F(0), 2),
        ({"LDP": {"X": 4}}, 1, None, 0),
        ({}, 1, None, 0),
        ({"LDP": {"A": 1, "B": 1, "C": 1}}, 1, F(60), 3),
        ({"LDP": {"A": 2, "X": 7}, "DN": {"B": 1}}, 3, None, 0),
    ],
    ids=[
        "weighted-average-of-group-means",
        "unknown-answers-not-counted",
        "group-below-minimum-left-out",
        "nothing-counted",
        "no-answers",
        "one-group",
        "every-group-below-minimum",
    ],
)
def test_question_percent(by_group, min_responses, percent, responses):
    result = question_result(design().questions[0], by_group, design(min_responses))
    assert (result.percent, result.responses) == (percent, responses)


def test_a_leaf_is_the_mean_of_its_questions_and_scores_through_its_rule():
    tallies = {
        "U1": {
            "Q1": {"LDP": {"A": 1, "B": 1}, "DN": {"C": 2}},  # (2 × 80 + 20) / 3 = 60 %
            "Q2": {"LDP": {"A": 1, "C": 2}},  # 140 / 3 %
            "Q3": {"DN": {"C": 3, "K": 1}},  # 75 %
        },
        "U2": {"Q2": {"LDP": {"X": 1}}},
    }
    scores = score_survey(design(), LEAVES, tallies, ["U1", "U2"])
    leaf = scores["U1"]["8.1"]
    assert leaf.percent == F(160, 3)  # (60 + 140/3) / 2
    assert leaf.percent_rounded == D("53.33")
    assert leaf.points == D("2.13")  # 4 × 53.333… / 100 = 2.1333… → 2.13
    assert leaf.responses == 4 + 3
    assert scores["U1"]["8.2"].points == D(1)  # 75 % reaches the 50 % tier
    empty = scores["U2"]["8.1"]
    assert (empty.percent, empty.points, empty.responses) == (None, D("0.00"), 0)


def test_points_round_half_up_once_at_the_end():
    # 4 × 50.125 % = 2.005 → 2.01 (half-up); no rounding of the percent before.
    tallies = {"U": {"Q2": {"LDP": {"A": 401, "D": 399}}}}
    leaf = score_survey(design(), LEAVES, tallies, ["U"])["U"]["8.1"]
    assert leaf.percent == F(401 * 100, 800)
    assert leaf.points == D("2.01")


@pytest.mark.parametrize(
    ("percent", "answer"),
    [
        (F(75), Percent(D("75"))),
        (F(1, 8), Percent(D("0.125"))),
        (F(220, 3), Ratio(11, 15)),
        (F(100), Percent(D("100"))),
        (F(0), Percent(D("0"))),
    ],
    ids=["whole", "finite-decimal", "repeating", "hundred", "zero"],
)
def test_percent_answer_is_exact(percent, answer):
    assert percent_answer(percent) == answer


@pytest.mark.parametrize(
    ("population", "expected"),
    [(0, 0), (1, 1), (100, 80), (400, 200), (1000, 286), (10_000, 385), (1_000_000, 400)],
    ids=["none", "one", "hundred", "four-hundred", "thousand", "ten-thousand", "million"],
)
def test_sample_size_is_yamane_rounded_up(population, expected):
    assert sample_size(population) == expected


def test_satisfaction_shares_go_up_by_equal_means():
    index, aspects = satisfaction(
        {
            ("Chính sách", "Trách nhiệm giải trình", "Công khai"): (8, 10),
            ("Chính sách", "Trách nhiệm giải trình", "Giải trình"): (6, 10),
            ("Chính sách", "Sự tham gia", "Lấy ý kiến"): (1, 4),
            ("Dịch vụ hành chính công", "Tiếp cận", "Địa điểm"): (9, 9),
            ("Dịch vụ hành chính công", "Tiếp cận", "Trực tuyến"): (0, 0),
        }
    )
    policy, services = aspects
    assert [factor.percent for factor in policy.children] == [F(70), F(25)]
    assert policy.percent == F(95, 2)
    assert services.percent == F(100)  # an item nobody answered has no share and is left out
    assert index == F(295, 4)
    assert (policy.satisfied, policy.answered) == (15, 24)


# -- properties ----------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=40)
tallies_strategy = st.fixed_dictionaries(
    {
        "Q1": st.fixed_dictionaries(
            {
                "LDP": st.dictionaries(st.sampled_from(list(SCALE)), counts),
                "DN": st.dictionaries(st.sampled_from(list(SCALE)), counts),
            }
        ),
        "Q2": st.fixed_dictionaries({"LDP": st.dictionaries(st.sampled_from(list(SCALE)), counts)}),
    }
)


@settings(max_examples=200, deadline=None)
@given(tallies=tallies_strategy, min_responses=st.integers(1, 5))
def test_leaf_points_are_the_rounded_exact_share_and_losses_add_up(tallies, min_responses):
    leaf = score_survey(design(min_responses), LEAVES, {"U": tallies}, ["U"])["U"]["8.1"]
    if leaf.percent is None:
        assert leaf.points == 0 and losses(leaf) == []
        return
    assert 0 <= leaf.percent <= 100
    exact = F(4) * leaf.percent / 100
    assert leaf.points == round_fraction(exact)
    assert abs(F(leaf.points) - exact) <= F(1, 200)
    parts = losses(leaf)
    assert sum(loss.lost for loss in parts if not loss.group) == 4 - exact
    assert sum(loss.lost for loss in parts if loss.group) == 4 - exact


@settings(max_examples=200, deadline=None)
@given(percent=st.fractions(min_value=0, max_value=100, max_denominator=10**6))
def test_percent_answer_keeps_the_exact_value(percent):
    answer = percent_answer(percent)
    if isinstance(answer, Percent):
        assert F(answer.value) == percent
    else:
        assert F(answer.numerator, answer.denominator) * 100 == percent


@settings(max_examples=200, deadline=None)
@given(population=st.integers(1, 10**7))
def test_sample_size_never_exceeds_the_population_and_reaches_the_margin(population):
    n = sample_size(population)
    assert 1 <= n <= population
    assert n >= F(population) / (1 + population * F(1, 400))
    assert n - 1 < F(population) / (1 + population * F(1, 400))


@settings(max_examples=100, deadline=None)
@given(
    tally=st.dictionaries(st.sampled_from(["C", "K"]), counts),
)
def test_on_a_tiered_leaf_the_losses_add_up_to_the_points_missed(tally):
    leaf = score_survey(design(), LEAVES, {"U": {"Q3": {"DN": tally}}}, ["U"])["U"]["8.2"]
    if leaf.percent is None:
        assert leaf.lost == 3
        return
    parts = losses(leaf)
    assert sum(loss.lost for loss in parts if not loss.group) == 3 - F(leaf.points)
    assert sum(loss.lost for loss in parts if loss.group) == 3 - F(leaf.points)


FINE_SCALE = {"A": D("100"), "B": D("62.5"), "C": D("33.33"), "D": D("0.25"), "X": None}


def naive_question_percent(by_group, weights, min_responses):
    """The contract's arithmetic written out plainly, Fraction by Fraction."""
    weighted, total_weight = F(0), F(0)
    for group, weight in weights.items():
        tally = by_group.get(group, {})
        counted = sum(n for option, n in tally.items() if FINE_SCALE.get(option) is not None)
        if not counted or counted < min_responses:
            continue
        mean_ = sum(F(FINE_SCALE[o]) * n for o, n in tally.items() if FINE_SCALE.get(o) is not None)
        weighted += mean_ / counted * F(weight)
        total_weight += F(weight)
    return weighted / total_weight if total_weight else None


@settings(max_examples=200, deadline=None)
@given(
    by_group=st.fixed_dictionaries(
        {
            "LDP": st.dictionaries(st.sampled_from(list(FINE_SCALE)), counts),
            "DN": st.dictionaries(st.sampled_from(list(FINE_SCALE)), counts),
        }
    ),
    min_responses=st.integers(1, 5),
)
def test_a_questions_percent_is_the_contracts_exact_weighted_mean(by_group, min_responses):
    weights = {"LDP": D("2.5"), "DN": D(1)}
    question = SurveyQuestion("Q", "8.1", ("LDP", "DN"), FINE_SCALE)
    survey = SurveyDesign(min_responses, weights, (question,))
    result = question_result(question, by_group, survey)
    assert result.percent == naive_question_percent(by_group, weights, min_responses)
