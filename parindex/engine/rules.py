"""Scoring rules: the points one answer earns on one leaf criterion.

Every leaf is compiled once into an evaluator, a function from an answer to the leaf's points in
hundredths (None when the answer excludes the leaf as not applicable). `leaf_points` and the
batch scoring both use these evaluators, so a rule is implemented in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from parindex.engine.answers import (
    Answer,
    Choice,
    Count,
    NotApplicable,
    Percent,
    Points,
    Ratio,
    Stage,
)
from parindex.engine.decimals import half_up, points, spec_hundredths
from parindex.engine.errors import fail
from parindex.engine.model import (
    ChoiceRule,
    Criterion,
    DeductionRule,
    NAPolicy,
    PercentTiersRule,
    ProportionalRule,
    RangeRule,
    Source,
)

# An evaluator returns the leaf's points in hundredths, or None when the leaf is excluded.
Evaluator = Callable[[Any], "int | None"]


def leaf_points(node: Criterion, answer: Answer, stage: Stage = Stage.SELF) -> Decimal | None:
    """Points a leaf earns for an answer; None when N/A removes the leaf from the unit's max."""
    if not node.is_leaf:
        raise fail("not_a_leaf", node.code, code=node.code)
    check_stage(node, stage)
    earned = evaluator(node)(answer)
    return None if earned is None else points(earned)


def check_stage(node: Criterion, stage: Stage) -> None:
    """Refuse a survey value for a self-assessed leaf, and any other value for a survey leaf."""
    if node.source == Source.SURVEY and stage != Stage.SURVEY:
        raise fail("survey_answer_required", node.code, stage=str(stage))
    if node.source != Source.SURVEY and stage == Stage.SURVEY:
        raise fail("not_a_survey_leaf", node.code)


def evaluator(node: Criterion) -> Evaluator:
    """Compile a leaf's rule and N/A policy into a function from an answer to hundredths."""
    # Each evaluator handles its rule's own answer type first (the hot path in a big round) and
    # hands anything else to `other`: raw Decimal points, not applicable, or a refusal.
    rule = node.scoring_rule
    code = node.code
    max_h = spec_hundredths(node.max_points)
    policy = node.not_applicable

    def given_points(value: Any) -> int:
        earned = _answer_hundredths(value, code)
        if earned < 0 or earned > max_h:
            raise fail("points_out_of_range", code, points=value, max_points=node.max_points)
        return earned

    def other(answer: Any) -> int | None:
        kind = type(answer)
        if kind is Decimal:
            return given_points(answer)
        if kind is NotApplicable:
            if policy == NAPolicy.NONE:
                raise fail("na_not_allowed", code)
            return None if policy == NAPolicy.EXCLUDE else max_h
        raise fail("answer_not_for_rule", code, answer=kind.__name__, rule=rule.type)

    if isinstance(rule, RangeRule):
        step_h = spec_hundredths(rule.step)

        def evaluate(answer: Any) -> int | None:
            kind = type(answer)
            if kind is Points:
                value = answer.value
            elif kind is Decimal:  # on a range leaf, raw points are the answer itself
                value = answer
            else:
                return other(answer)
            earned = given_points(value)
            if earned % step_h:
                raise fail("off_step", code, points=value, step=rule.step)
            return earned

    elif isinstance(rule, ChoiceRule):
        by_label = {option.label: spec_hundredths(option.points) for option in rule.options}

        def evaluate(answer: Any) -> int | None:
            if type(answer) is not Choice:
                return other(answer)
            earned = by_label.get(answer.label)
            if earned is None:
                raise fail("unknown_choice", code, label=answer.label, allowed=list(by_label))
            return earned

    elif isinstance(rule, PercentTiersRule):
        tiers = [
            (spec_hundredths(tier.min_percent), spec_hundredths(tier.points)) for tier in rule.tiers
        ]

        def evaluate(answer: Any) -> int | None:
            percent = _as_percent(answer, code)
            if percent is None:
                return other(answer)
            numerator, denominator = percent
            # percent >= min_percent, in whole numbers: numerator / denominator >= min_h / 100
            for min_h, earned in tiers:
                if numerator * 100 >= min_h * denominator:
                    return earned
            return 0

    elif isinstance(rule, ProportionalRule):

        def evaluate(answer: Any) -> int | None:
            percent = _as_percent(answer, code)
            if percent is None:
                return other(answer)
            numerator, denominator = percent
            # max × percent / 100, in hundredths, rounded half-up to whole hundredths
            return half_up(max_h * numerator, 100 * denominator)

    elif isinstance(rule, DeductionRule):
        per_item_h = spec_hundredths(rule.per_item)

        def evaluate(answer: Any) -> int | None:
            if type(answer) is not Count:
                return other(answer)
            items = answer.n
            if type(items) is not int or items < 0:
                raise fail("invalid_count", code, value=items)
            return max(0, max_h - per_item_h * items)

    else:  # pragma: no cover - the Rule union is closed
        raise TypeError(f"unknown rule {rule!r}")
    return evaluate


def _answer_hundredths(value: Any, code: str) -> int:
    """Hundredths in answered points; refuses floats, non-numbers and finer digits."""
    if type(value) is Decimal:
        try:
            numerator, denominator = value.as_integer_ratio()
        except (ValueError, OverflowError):  # NaN, infinity
            raise fail("not_a_number", code, value=value) from None
        whole, rest = divmod(numerator * 100, denominator)
        if rest:
            raise fail("not_hundredths", code, value=value)
        return whole
    if type(value) is int:
        return value * 100
    raise fail("not_a_number", code, value=value)


def _as_percent(answer: Any, code: str) -> tuple[int, int] | None:
    """The percentage a Percent or Ratio answer gives, as an exact fraction (numerator,
    denominator) checked to be within 0..100; None for any other kind of answer."""
    kind = type(answer)
    if kind is Ratio:
        done, due = answer.numerator, answer.denominator
        if type(done) is not int or type(due) is not int or due <= 0 or not 0 <= done <= due:
            raise fail("invalid_ratio", code, numerator=done, denominator=due)
        return done * 100, due
    if kind is not Percent:
        return None
    value = answer.value
    if type(value) is Decimal:
        try:
            numerator, denominator = value.as_integer_ratio()
        except (ValueError, OverflowError):  # NaN, infinity
            raise fail("not_a_number", code, value=value) from None
    elif type(value) is int:
        numerator, denominator = value, 1
    else:
        raise fail("not_a_number", code, value=value)
    if numerator < 0 or numerator > 100 * denominator:
        raise fail("percent_out_of_range", code, value=value)
    return numerator, denominator
