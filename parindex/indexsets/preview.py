"""What a leaf's rule gives for sample inputs, computed by the engine (`leaf_points`).

The editor shows it live while an officer types a rule: each option of a choice, the edges of
each tier, a few rates, counts of late items, "not applicable", and any value the officer tries.
Only the inputs are chosen here; every point shown comes from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex import engine
from parindex.core.formatting import format_points
from parindex.core.numbers import NumberInvalid, typed_number
from parindex.indexsets.problems import error_message
from parindex.indexsets.ruletext import RuleTextError, parse_number

MAX_DEDUCTION_ROWS = 8
COUNT_LIMIT = 1_000_000_000


@dataclass(frozen=True)
class PreviewRow:
    """One sample input and what the engine makes of it."""

    label: str
    points: Decimal | None = None
    excluded: bool = False
    error: str = ""


def _stage(node: engine.Criterion) -> engine.Stage:
    return engine.Stage.SURVEY if node.source == engine.Source.SURVEY else engine.Stage.SELF


def _row(node: engine.Criterion, label: str, answer: engine.Answer) -> PreviewRow:
    try:
        points = engine.leaf_points(node, answer, _stage(node))
    except engine.EngineError as error:
        return PreviewRow(label, error=error_message(error))
    return PreviewRow(label, points, excluded=points is None)


def _percent_label(value: Decimal) -> str:
    return f"{format_points(value)}%"


def sample_answers(node: engine.Criterion) -> list[tuple[str, engine.Answer]]:
    """Inputs that show how a rule behaves, with their labels."""
    rule = node.scoring_rule
    answers: list[tuple[str, engine.Answer]] = []
    if isinstance(rule, engine.ChoiceRule):
        answers = [(option.label, engine.Choice(option.label)) for option in rule.options]
    elif isinstance(rule, engine.PercentTiersRule):
        percents: list[Decimal] = [Decimal(100)]
        for tier in rule.tiers:
            percents += [tier.min_percent, tier.min_percent - Decimal("0.01")]
        percents.append(Decimal(0))
        seen = sorted({p for p in percents if 0 <= p <= 100}, reverse=True)
        answers = [(_percent_label(p), engine.Percent(p)) for p in seen]
    elif isinstance(rule, engine.ProportionalRule):
        answers = [
            (_percent_label(p), engine.Percent(p))
            for p in (Decimal(100), Decimal("87.5"), Decimal(50), Decimal(0))
        ]
    elif isinstance(rule, engine.DeductionRule):
        for count in range(MAX_DEDUCTION_ROWS):
            answers.append((_("%(n)d items") % {"n": count}, engine.Count(count)))
            if rule.per_item * count >= node.max_points:
                break
    else:
        step = rule.step
        values = sorted({Decimal(0), step, node.max_points - step, node.max_points})
        answers = [
            (format_points(v), engine.Points(v)) for v in values if 0 <= v <= node.max_points
        ]
    if node.not_applicable != engine.NAPolicy.NONE:
        answers.append((_("Not applicable"), engine.NotApplicable()))
    return answers


def _typed_answer(node: engine.Criterion, text: str) -> engine.Answer:
    """A value typed by the officer, read as the rule's kind of answer (9/10 is a ratio)."""
    rule = node.scoring_rule
    if isinstance(rule, engine.ChoiceRule):
        return engine.Choice(text)
    if isinstance(rule, engine.PercentTiersRule | engine.ProportionalRule):
        if "/" in text:
            done, _slash, due = text.partition("/")
            return engine.Ratio(_whole(done), _whole(due))
        return engine.Percent(parse_number(text.removesuffix("%")))
    if isinstance(rule, engine.DeductionRule):
        return engine.Count(_whole(text))
    return engine.Points(parse_number(text))


def _whole(text: str) -> int:
    """A count typed by the officer (late items, done or due)."""
    try:
        return int(typed_number(text, limit=COUNT_LIMIT, decimals=0))
    except NumberInvalid as invalid:
        raise RuleTextError(str(invalid)) from None


def preview_rows(node: engine.Criterion, tried: str = "") -> list[PreviewRow]:
    """The engine's points for the sample inputs and for the value tried, if any."""
    rows = [_row(node, label, answer) for label, answer in sample_answers(node)]
    if tried.strip():
        try:
            answer = _typed_answer(node, tried.strip())
        except RuleTextError as error:
            rows.append(PreviewRow(tried, error=str(error)))
        else:
            rows.append(_row(node, tried.strip(), answer))
    return rows
