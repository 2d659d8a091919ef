"""Leaf points: each scoring rule, each N/A policy, and every refused answer."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parindex.engine import (
    ERROR_TEMPLATES,
    Choice,
    Count,
    EngineError,
    NotApplicable,
    Percent,
    Points,
    Ratio,
    Stage,
    leaf_points,
)
from parindex.engine.tests.builders import CHOICE, TIERS, D, branch, leaf, make_set, single_leaf

RANGE = {"rule": {"type": "range", "step": 0.25}}
PROPORTIONAL = {"rule": {"type": "proportional"}}
DEDUCTION = {"rule": {"type": "deduction", "per_item": 0.5}}

POINTS_CASES: list[tuple[Any, dict[str, Any], Any, Decimal | None]] = [
    # (max_points, leaf fields, answer, expected points)
    (2, RANGE, Points(D("1.5")), D("1.5")),
    (2, RANGE, Points(D("0")), D("0")),
    (2, RANGE, Points(D("2.00")), D("2")),
    (2, RANGE, D("0.75"), D("0.75")),
    (1, {}, Points(D("0.37")), D("0.37")),
    (1, {"rule": CHOICE}, Choice("Đúng hạn"), D("1")),
    (1, {"rule": CHOICE}, Choice("Chậm"), D("0.5")),
    (1, {"rule": CHOICE}, Choice("Không ban hành"), D("0")),
    (1, {"rule": CHOICE}, D("0.3"), D("0.3")),
    (1, {"rule": TIERS}, Percent(D("100")), D("1")),
    (1, {"rule": TIERS}, Percent(D("99.999")), D("0.5")),
    (1, {"rule": TIERS}, Percent(80), D("0.5")),  # type: ignore[arg-type]  # deliberately not a Decimal
    (1, {"rule": TIERS}, Percent(D("79.99")), D("0")),
    (1, {"rule": TIERS}, Ratio(8, 10), D("0.5")),
    (1, {"rule": TIERS}, Ratio(799, 1000), D("0")),
    (1, {"rule": TIERS}, Ratio(0, 3), D("0")),
    (20, PROPORTIONAL, Percent(D("87.333")), D("17.47")),
    (20, PROPORTIONAL, Percent(D("100")), D("20")),
    (20, PROPORTIONAL, Percent(0), D("0")),  # type: ignore[arg-type]  # deliberately not a Decimal
    (20, PROPORTIONAL, Ratio(2, 3), D("13.33")),
    (1, PROPORTIONAL, Percent(D("12.5")), D("0.13")),
    (1, PROPORTIONAL, Percent(D("12.4999")), D("0.12")),
    (1, PROPORTIONAL, Ratio(1, 8), D("0.13")),
    (2, DEDUCTION, Count(0), D("2")),
    (2, DEDUCTION, Count(1), D("1.5")),
    (2, DEDUCTION, Count(4), D("0")),
    (2, DEDUCTION, Count(9), D("0")),
    (2, DEDUCTION, D("1.25"), D("1.25")),
]
POINTS_IDS = [
    "range-points",
    "range-zero",
    "range-max",
    "range-raw-decimal",
    "range-default-step",
    "choice-best",
    "choice-middle",
    "choice-zero",
    "choice-raw-decimal-override",
    "tiers-top",
    "tiers-just-below-top",
    "tiers-int-percent-on-threshold",
    "tiers-below-every-tier",
    "tiers-ratio-on-threshold",
    "tiers-ratio-just-below",
    "tiers-ratio-zero",
    "proportional-rounds-half-up",
    "proportional-full",
    "proportional-zero",
    "proportional-ratio",
    "proportional-exact-half-rounds-up",
    "proportional-below-half-rounds-down",
    "proportional-ratio-exact-half",
    "deduction-none",
    "deduction-one",
    "deduction-to-zero",
    "deduction-floor-zero",
    "deduction-raw-decimal",
]


@pytest.mark.parametrize(
    ("max_points", "fields", "answer", "expected"), POINTS_CASES, ids=POINTS_IDS
)
def test_leaf_points_follow_the_rule(max_points, fields, answer, expected):
    assert leaf_points(single_leaf(max_points, **fields), answer) == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("exclude", None), ("full", D("2"))],
    ids=["exclude-leaves-the-max", "full-scores-the-max"],
)
def test_not_applicable_follows_the_policy(policy, expected):
    node = single_leaf(2, not_applicable=policy, **RANGE)
    assert leaf_points(node, NotApplicable()) == expected


ERROR_CASES: list[tuple[Any, dict[str, Any], Any, str]] = [
    (2, RANGE, NotApplicable(), "na_not_allowed"),
    (2, RANGE, Points(D("2.25")), "points_out_of_range"),
    (2, RANGE, Points(D("-0.25")), "points_out_of_range"),
    (2, RANGE, Points(D("0.3")), "off_step"),
    (2, {}, Points(D("0.001")), "not_hundredths"),
    (2, {}, Points(1.5), "not_a_number"),  # type: ignore[arg-type]  # deliberately not a Decimal
    (2, {}, Points(D("NaN")), "not_a_number"),
    (2, {}, D("Infinity"), "not_a_number"),
    (2, RANGE, Choice("A"), "answer_not_for_rule"),
    (1, {"rule": CHOICE}, Choice("Sớm"), "unknown_choice"),
    (1, {"rule": CHOICE}, D("1.5"), "points_out_of_range"),
    (1, {"rule": CHOICE}, Points(D("1")), "answer_not_for_rule"),
    (1, {"rule": TIERS}, Percent(D("100.01")), "percent_out_of_range"),
    (1, {"rule": TIERS}, Percent(-1), "percent_out_of_range"),  # type: ignore[arg-type]  # deliberately not a Decimal
    (1, {"rule": TIERS}, Percent(99.5), "not_a_number"),  # type: ignore[arg-type]  # deliberately not a Decimal
    (1, {"rule": TIERS}, Ratio(11, 10), "invalid_ratio"),
    (1, {"rule": TIERS}, Ratio(1, 0), "invalid_ratio"),
    (1, {"rule": TIERS}, Ratio(1.5, 2), "invalid_ratio"),  # type: ignore[arg-type]
    (1, {"rule": TIERS}, Count(1), "answer_not_for_rule"),
    (20, PROPORTIONAL, Percent(D("sNaN")), "not_a_number"),
    (20, PROPORTIONAL, Choice("A"), "answer_not_for_rule"),
    (2, DEDUCTION, Count(-1), "invalid_count"),
    (2, DEDUCTION, Count(1.0), "invalid_count"),  # type: ignore[arg-type]
    (2, DEDUCTION, Points(D("1")), "answer_not_for_rule"),
    (2, DEDUCTION, 1.5, "answer_not_for_rule"),
]


@pytest.mark.parametrize(
    ("max_points", "fields", "answer", "code"),
    ERROR_CASES,
    ids=[f"{i:02d}-{case[3]}" for i, case in enumerate(ERROR_CASES)],
)
def test_invalid_answers_are_refused_with_a_code(max_points, fields, answer, code):
    node = single_leaf(max_points, **fields)
    with pytest.raises(EngineError, check=lambda exception: exception.code == code) as raised:
        leaf_points(node, answer)
    assert (raised.value.code, raised.value.node_code) == (code, "L")
    assert raised.value.message == ERROR_TEMPLATES[code].format(**raised.value.params)


@pytest.mark.parametrize(
    ("source", "stage", "code"),
    [
        ("survey", Stage.SELF, "survey_answer_required"),
        ("survey", Stage.APPRAISED, "survey_answer_required"),
        ("self", Stage.SURVEY, "not_a_survey_leaf"),
        ("computed", Stage.SURVEY, "not_a_survey_leaf"),
    ],
    ids=["survey-leaf-self", "survey-leaf-appraised", "self-leaf-survey", "computed-leaf-survey"],
)
def test_the_stage_must_match_the_source(source, stage, code):
    node = single_leaf(20, source=source, **PROPORTIONAL)
    with pytest.raises(EngineError, check=lambda exception: exception.code == code):
        leaf_points(node, Percent(50), stage)


def test_a_survey_leaf_takes_a_survey_value():
    node = single_leaf(20, source="survey", **PROPORTIONAL)
    assert leaf_points(node, Percent(50), Stage.SURVEY) == D("10")


def test_a_branch_has_no_leaf_points():
    area = make_set(branch("A", leaf("L"))).criterion("A")
    with pytest.raises(EngineError, check=lambda exception: exception.code == "not_a_leaf"):
        leaf_points(area, Points(D("1")))


def test_leaf_points_are_whole_hundredths_with_two_decimals():
    points = leaf_points(single_leaf(20, **PROPORTIONAL), Ratio(1, 3))
    assert points is not None and points.as_tuple().exponent == -2


def test_every_error_code_the_engine_raises_has_a_template():
    engine = Path(__file__).resolve().parents[1]
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in engine.rglob("*.py")
        if "tests" not in path.parts
    )
    raised = set(re.findall(r'fail\(\s*"([a-z_]+)"', source))
    assert raised == set(ERROR_TEMPLATES)
