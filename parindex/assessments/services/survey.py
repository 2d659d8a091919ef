"""Survey values, entered by the office on the results pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex import engine
from parindex.assessments.models import (
    Item,
)
from parindex.assessments.services.base import Refused, _engine_node, _locked_update
from parindex.core import audit
from parindex.core.numbers import NumberInvalid, typed_number
from parindex.rounds.models import Round

PERCENT_LIMIT = 100  # a survey result is a percentage


def parse_survey_value(node: engine.Criterion, text: str) -> engine.Answer | None:
    """A survey value as typed: a percentage (87,5) or points for a range rule, NA, or empty."""
    text = text.strip()
    if not text:
        return None
    if text.upper() in ("NA", "N/A", "KAD"):
        return engine.NotApplicable()
    is_points = isinstance(node.scoring_rule, engine.RangeRule)
    try:
        value = typed_number(
            text.removesuffix("%"),
            limit=node.max_points if is_points else PERCENT_LIMIT,
            decimals=2,
        )
    except NumberInvalid as invalid:
        raise Refused(str(invalid), code="survey.value_invalid") from None
    return value if is_points else engine.Percent(value)


def answer_json(answer: engine.Answer | None) -> dict[str, Any] | None:
    """The stored JSON form of a survey answer (the assessments' format)."""
    if answer is None:
        return None
    if isinstance(answer, engine.NotApplicable):
        return {"na": True}
    if isinstance(answer, engine.Percent):
        return {"percent": str(answer.value)}
    if isinstance(answer, Decimal):
        return {"points": str(answer)}
    raise TypeError(f"not a survey answer: {answer!r}")


@transaction.atomic
def save_survey_points(
    *, by: Any, round_: Round, values: dict[int, tuple[str, int]]
) -> tuple[int, list[str]]:
    """Store survey values typed per unit and survey criterion: all or nothing, problems listed.

    `values` maps an item id to (typed text, version read). Returns (items changed, problems);
    when there is any problem nothing is saved. Whether the round's scores may still change is
    the caller's check (results, which freezes them).
    """
    items = {
        item.pk: item
        for item in Item.objects.filter(
            pk__in=values, assessment__round=round_, criterion__source="survey"
        ).select_related("assessment__unit", "criterion", "assessment__index_set")
    }
    problems: list[str] = []
    changes: list[tuple[Item, dict[str, Any] | None, Decimal | None, int]] = []
    for pk, (text, version) in values.items():
        item = items.get(pk)
        if item is None:
            problems.append(_("Item %(pk)s is not a survey criterion of this round.") % {"pk": pk})
            continue
        node = _engine_node(item)
        where = f"{item.assessment.unit.code} / {item.criterion.code}"
        try:
            answer = parse_survey_value(node, text)
            points = (
                None if answer is None else engine.leaf_points(node, answer, engine.Stage.SURVEY)
            )
        except (Refused, engine.EngineError) as error:
            problems.append(f"{where}: {error}")
            continue
        stored = answer_json(answer)
        if stored == item.survey_answer:
            continue
        if item.version != version:
            problems.append(
                _("%(where)s: someone else saved this value meanwhile; reload the page.")
                % {"where": where}
            )
            continue
        changes.append((item, stored, points, version))
    if problems:
        transaction.set_rollback(True)
        return 0, problems
    for item, stored, points, version in changes:
        old = item.survey_answer
        _locked_update(item, version, survey_answer=stored, survey_points=points)
        audit.record(item, "item.survey_saved", by=by, old=old, new=stored)
    return len(changes), []
