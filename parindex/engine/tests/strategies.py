"""Hypothesis strategies: random valid index sets and valid answers for them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from parindex.engine import (
    Answer,
    Choice,
    ChoiceRule,
    Count,
    Criterion,
    DeductionRule,
    IndexSet,
    Metric,
    NotApplicable,
    Percent,
    PercentTiersRule,
    Points,
    ProportionalRule,
    RangeRule,
    Ratio,
    parse_index_set,
)
from parindex.engine.tests.builders import make_spec

STEPS_H = (1, 5, 25, 50, 100)  # range steps in hundredths: 0.01 … 1


def from_h(hundredths: int) -> Decimal:
    """A Decimal number of points from whole hundredths."""
    return Decimal(hundredths).scaleb(-2)


@st.composite
def leaf_specs(
    draw: st.DrawFn, code: str, *, is_plain: bool = False, kind: str = "normal"
) -> dict[str, Any]:
    """A valid leaf spec with a random rule; a plain leaf is self-assessed and never N/A."""
    rule_types = ["range", "choice", "percent_tiers", "proportional"]
    if kind != "penalty":
        rule_types.append("deduction")
    rule_type = draw(st.sampled_from(rule_types))
    if rule_type == "range":
        step_h = draw(st.sampled_from(STEPS_H))
        max_h = step_h * draw(st.integers(1, 40))
        rule: dict[str, Any] = {"type": "range", "step": from_h(step_h)}
    else:
        max_h = draw(st.integers(1, 2_000))
        rule = {"type": rule_type}
        if rule_type == "choice":
            others = draw(st.lists(st.integers(0, max_h), max_size=3))
            points = [max_h, *others]
            rule["options"] = [
                {"label": f"option {i}", "points": from_h(h)} for i, h in enumerate(points)
            ]
        elif rule_type == "percent_tiers":
            mins = sorted(draw(st.sets(st.integers(0, 10_000), min_size=1, max_size=4)))[::-1]
            lower = sorted(draw(st.lists(st.integers(0, max_h), min_size=len(mins) - 1)))[::-1]
            rule["tiers"] = [
                {"min_percent": from_h(m), "points": from_h(p)}
                for m, p in zip(mins, [max_h, *lower[: len(mins) - 1]], strict=True)
            ]
        elif rule_type == "deduction":
            rule["per_item"] = from_h(draw(st.integers(1, 2 * max_h)))
    spec: dict[str, Any] = {"code": code, "name": f"Tiêu chí {code}", "max_points": from_h(max_h)}
    if kind != "normal":
        spec["kind"] = kind
    if not is_plain:
        spec["source"] = draw(st.sampled_from(["self", "self", "computed", "survey"]))
        if spec["source"] == "computed" and rule.get("type") in ("percent_tiers", "proportional"):
            metrics = [None, *(str(metric) for metric in Metric)]
            if (metric := draw(st.sampled_from(metrics))) is not None:
                spec["input"] = metric
        if kind == "normal":
            spec["not_applicable"] = draw(st.sampled_from(["none", "exclude", "exclude", "full"]))
    spec["rule"] = rule
    return spec


@st.composite
def band_specs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Valid bands: strictly descending thresholds, the last at 0 percent."""
    mins = sorted(draw(st.sets(st.integers(1, 10_000), max_size=4)), reverse=True)
    return [
        {"code": f"BAND{i}", "name": f"Band {i}", "min_percent": from_h(m)}
        for i, m in enumerate([*mins, 0])
    ]


@st.composite
def index_sets(draw: st.DrawFn, *, has_excludable: bool = False) -> IndexSet:
    """A valid index set of 1-3 areas, up to 3 levels deep, maybe with a bonus and a penalty."""
    criteria = []
    for area in range(1, draw(st.integers(1, 3)) + 1):
        children = []
        for number in range(1, draw(st.integers(1, 3)) + 1):
            code = f"{area}.{number}"
            first = area == 1 and number == 1  # keeps every unit's effective max above 0
            if draw(st.booleans()):
                count = draw(st.integers(1, 2))
                leaves = [
                    draw(leaf_specs(f"{code}.{i}", is_plain=first and i == 1))
                    for i in range(1, count + 1)
                ]
                children.append({"code": code, "name": code, "children": leaves})
            else:
                children.append(draw(leaf_specs(code, is_plain=first)))
        if has_excludable and area == 1:
            children.append({**draw(leaf_specs("1.x")), "not_applicable": "exclude"})
        criteria.append({"code": str(area), "name": f"Lĩnh vực {area}", "children": children})
    if draw(st.booleans()):
        criteria.append(draw(leaf_specs("B", kind="bonus")))
    if draw(st.booleans()):
        criteria.append(draw(leaf_specs("P", kind="penalty")))
    return parse_index_set(make_spec(*criteria, bands=draw(band_specs())))


def answer_strategy(leaf: Criterion) -> st.SearchStrategy[Answer | None]:
    """Any valid answer for a leaf, or None (left unanswered)."""
    rule = leaf.scoring_rule
    max_h = int(leaf.max_points.scaleb(2))
    choices: list[st.SearchStrategy[Any]] = [st.none()]
    if leaf.not_applicable != "none":
        choices.append(st.just(NotApplicable()))
    if isinstance(rule, RangeRule):
        step_h = int(rule.step.scaleb(2))
        on_step = st.integers(0, max_h // step_h).map(lambda k: from_h(k * step_h))
        choices += [on_step.map(Points), on_step]
    else:
        choices.append(st.integers(0, max_h).map(from_h))
    if isinstance(rule, ChoiceRule):
        choices.append(st.sampled_from([option.label for option in rule.options]).map(Choice))
    if isinstance(rule, PercentTiersRule | ProportionalRule):
        percents = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False)
        ratios = st.integers(1, 60).flatmap(
            lambda due: st.integers(0, due).map(lambda done: Ratio(done, due))
        )
        choices += [percents.map(Percent), ratios]
    if isinstance(rule, DeductionRule):
        choices.append(st.integers(0, 30).map(Count))
    return st.one_of(choices)


@st.composite
def unit_answers(
    draw: st.DrawFn, index_set: IndexSet
) -> tuple[dict[str, Answer], dict[str, Answer]]:
    """A unit's answers and survey values for an index set."""
    answers: dict[str, Answer] = {}
    survey: dict[str, Answer] = {}
    for leaf in index_set.leaves():
        answer = draw(answer_strategy(leaf))
        if answer is not None:
            (survey if leaf.source == "survey" else answers)[leaf.code] = answer
    return answers, survey
