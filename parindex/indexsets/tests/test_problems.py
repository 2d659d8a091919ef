"""Every engine problem and error code has a Vietnamese message."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from parindex import engine
from parindex.indexsets.problems import (
    ERROR_MESSAGES,
    PROBLEM_MESSAGES,
    error_message,
    problem_message,
)


def test_every_engine_problem_code_has_a_message():
    assert set(PROBLEM_MESSAGES) == set(engine.PROBLEM_TEMPLATES)


def test_every_engine_error_code_has_a_message():
    assert set(ERROR_MESSAGES) == set(engine.ERROR_TEMPLATES)


def test_messages_fill_their_parameters_with_vietnamese_numbers():
    problem = engine.Problem(
        "criteria/1/1.1/rule/options/1/points",
        "points_above_max",
        {"points": Decimal("1.5"), "max_points": Decimal("1")},
    )
    with translation.override("vi"):
        assert problem_message(problem) == (
            "1,5 điểm vượt quá điểm tối đa (max_points) 1 của tiêu chí."
        )
    with translation.override("en"):
        assert problem_message(problem) == "1,5 points is above the criterion's max_points 1."


def test_engine_errors_name_the_criterion():
    error = engine.EngineError("na_not_allowed", "1.1.2", "not allowed")
    with translation.override("vi"):
        assert error_message(error) == (
            "Tiêu chí 1.1.2: Tiêu chí này không được đánh dấu không áp dụng."
        )
