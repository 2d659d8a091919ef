"""Scoring through the engine: the values of items ("appraised, else self"), a unit's score,
a round's values for its results, and survey values."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler

from parindex import engine
from parindex.assessments import answers
from parindex.assessments.models import (
    Assessment,
    Item,
)
from parindex.indexsets.models import Criterion
from parindex.indexsets.queries import engine_index_set
from parindex.rounds.models import Round

# Items whose value the system computes (a computed leaf with an input): nobody enters,
# evidences or appraises them, so they never stop a submission or an appraisal.
SYSTEM_COMPUTED = Q(criterion__source="computed") & ~Q(criterion__input="")


def engine_set_for(assessment: Assessment) -> engine.IndexSet:
    """The engine's index set the assessment is scored on."""
    return engine_index_set(assessment.index_set)


class StoredText(Cast):
    """A column as the database stores it, for reads of 10^5 items that decode each distinct
    value once: PostgreSQL's JSON and numbers cast to text (its decimals would otherwise come
    back as Decimal objects, one per row); SQLite's as they are, since it keeps JSON as text
    and numbers as numbers, and its CAST costs a conversion per row (0.09 s of a national
    round's 0.65 s read). Read numbers through `str()` before `Decimal`: SQLite gives 0.5."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name, TextField())

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return compiler.compile(self.source_expressions[0])


class ItemValues(NamedTuple):
    """The values of one item, light enough to load every item of an assessment at once."""

    pk: int
    code: str
    self_answer: dict | None
    appraised_answer: dict | None
    survey_answer: dict | None
    no_evidence_reason: str

    @property
    def final_answer(self) -> dict | None:
        return final_of(self.appraised_answer, self.self_answer)


def final_of(appraised: Any, own: Any) -> Any:
    """The value that counts: "appraised, else self" (the unit's own until an appraiser decided).

    Values are decoded JSON, or JSON text when read in bulk ("null" for a stored JSON null).
    """
    return appraised if appraised is not None and appraised != "null" else own


VALUE_FIELDS = (
    "pk",
    "criterion__code",
    "self_answer",
    "appraised_answer",
    "survey_answer",
    "no_evidence_reason",
)


def item_values(items: QuerySet[Item]) -> list[ItemValues]:
    """The values of some items (one query, no model instances)."""
    return [ItemValues(*row) for row in items.order_by("position").values_list(*VALUE_FIELDS)]


def stage_answers(
    items: list[ItemValues], stage: str = "final"
) -> tuple[dict[str, engine.Answer], dict[str, engine.Answer]]:
    """(answers, survey answers) by criterion code: self values, or final (appraised else self)."""
    values: dict[str, engine.Answer] = {}
    survey: dict[str, engine.Answer] = {}
    for item in items:
        if item.survey_answer is not None:
            survey[item.code] = answers.from_json(item.survey_answer)
        data = item.self_answer if stage == "self" else item.final_answer
        if data is not None:
            values[item.code] = answers.from_json(data)
    return values, survey


def score(
    index_set: engine.IndexSet,
    items: list[ItemValues],
    stage: str = "final",
    computed: dict[str, engine.Answer] | None = None,
) -> engine.UnitScore | None:
    """The engine's score of the items' values (None when every leaf is excluded as N/A);
    `computed` gives the values of computed leaves, which nobody types."""
    values, survey = stage_answers(items, stage)
    values.update(computed or {})
    return _score_or_none(index_set, values, survey)


def _score_or_none(
    index_set: engine.IndexSet,
    values: dict[str, engine.Answer],
    survey: dict[str, engine.Answer] | None,
) -> engine.UnitScore | None:
    """The engine's score of a unit's answers, None when every leaf is excluded as N/A."""
    try:
        return engine.score_unit(index_set, values, survey=survey)
    except engine.EngineError as error:
        if error.code == "nothing_applicable":
            return None
        raise


def final_answers(
    assessment: Assessment,
) -> tuple[dict[str, engine.Answer], dict[str, engine.Answer]]:
    """The answers that count for results: final (appraised else self) values and survey values."""
    return stage_answers(item_values(assessment.items.all()), "final")


def final_answers_for_round(
    round_: Round,
) -> dict[int, tuple[dict[str, engine.Answer], dict[str, engine.Answer]]]:
    """Every assessment's (answers, survey) in a round, by assessment id, in one query
    (monitoring scores lost points and projections on them)."""
    return {key: (unit.final, unit.survey) for key, unit in round_answers(round_).items()}


@dataclass
class UnitAnswers:
    """An assessment's values as engine answers, by criterion code."""

    own: dict[str, engine.Answer] = field(default_factory=dict)  # the self-assessed values
    final: dict[str, engine.Answer] = field(default_factory=dict)  # appraised, else self
    survey: dict[str, engine.Answer] = field(default_factory=dict)
    adjusted: int = 0  # items whose appraised value differs from the self-assessed one


def round_answers(
    round_: Round, assessment_ids: Collection[int] | None = None
) -> dict[int, UnitAnswers]:
    """Every assessment's values in a round (or those of `assessment_ids`), by assessment id
    (one query).

    A national round has ~10^5 items but few distinct values: the values are read as the
    database's text, each distinct text is decoded once, and its engine answer is shared by
    every item that has it (the engine then scores it once per leaf, `engine.score_round`).
    Read item by item through the JSON fields, the council's page took 7 s.
    """
    items = Item.objects.filter(assessment__round=round_)
    if assessment_ids is not None:
        items = items.filter(assessment_id__in=list(assessment_ids))
    rows = items.values_list(
        "assessment_id",
        "criterion__code",
        StoredText("self_answer"),
        StoredText("appraised_answer"),
        StoredText("survey_answer"),
    ).order_by()  # the items' order does not change a score
    stored: dict[str | None, Any] = {None: None, "null": None}  # text → JSON value
    decoded: dict[str | None, engine.Answer | None] = {None: None, "null": None}

    def answer(text: str | None) -> engine.Answer | None:
        if text not in decoded:  # never None nor "null": both are there from the start
            stored[text] = value = json.loads(cast(str, text))
            decoded[text] = answers.from_json(value)
        return decoded[text]

    found: dict[int, UnitAnswers] = {}
    for assessment_id, code, own, appraised, surveyed in rows:
        unit = found.get(assessment_id)
        if unit is None:
            unit = found[assessment_id] = UnitAnswers()
        if (survey := answer(surveyed)) is not None:
            unit.survey[code] = survey
        if (value := answer(own)) is not None:
            unit.own[code] = value
        final_text = final_of(appraised, own)
        if (final := answer(final_text)) is not None:
            unit.final[code] = final
        if stored[final_text] != stored[own]:  # an appraised value that is not the unit's
            unit.adjusted += 1
    return found


def round_scores(
    index_set: engine.IndexSet,
    values: dict[str, dict[str, engine.Answer]],
    survey: dict[str, dict[str, engine.Answer]],
) -> dict[str, engine.UnitScore | None]:
    """The scores of many units under one index set, by the keys of `values` (None for a unit
    with every leaf excluded as N/A): the engine scores the round at once, sharing its work on
    shared answers, else, when a unit has nothing applicable, unit by unit."""
    try:
        return dict(engine.score_round(index_set, values, survey_by_unit=survey).units)
    except engine.EngineError as error:
        if error.code != "nothing_applicable":
            raise
    return {key: _score_or_none(index_set, unit, survey.get(key)) for key, unit in values.items()}


def survey_items(round_: Round, unit_codes: Collection[str]) -> list[Item]:
    """The survey criteria's items of these units in a round, with unit and criterion, by unit
    code (one query)."""
    return list(
        Item.objects.filter(
            assessment__round=round_,
            assessment__unit__code__in=list(unit_codes),
            criterion__source="survey",
        )
        .select_related("assessment__unit__unit_type", "criterion")
        .order_by("assessment__unit__code", "position")
    )


def surveyed_units(round_: Round) -> dict[str, list[str]]:
    """The codes of a round's units whose index set has survey criteria, by unit type code, in
    code order (one query, whatever the number of items)."""
    rows = (
        Assessment.objects.filter(
            round=round_,
            index_set__in=Criterion.objects.filter(source="survey").values("index_set"),
        )
        .order_by("unit__unit_type__code", "unit__code")
        .values_list("unit__unit_type__code", "unit__code")
    )
    units: dict[str, list[str]] = {}
    for type_code, unit_code in rows:
        units.setdefault(type_code, []).append(unit_code)
    return units


def survey_text(stored: dict[str, Any] | None) -> str:
    """What the survey field shows for a stored value (percent or points, NA)."""
    if stored is None:
        return ""
    if stored.get("na"):
        return "NA"
    value = stored.get("percent", stored.get("points", ""))
    return str(value).replace(".", ",")
