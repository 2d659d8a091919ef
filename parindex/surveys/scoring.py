"""A campaign's survey scores: the engine's input built in a few queries, and its results.

`campaign_scores` reads the questionnaire (groups, weights, options with percents, questions
and their leaves) and the counted tallies of answers per unit, question, group and option (one
GROUP BY), and hands them to `parindex.engine.surveys`. Excluded responses are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from parindex import engine
from parindex.engine.surveys import LeafResult, SurveyDesign, SurveyQuestion, score_survey
from parindex.indexsets.queries import engine_index_set
from parindex.surveys.models import (
    Answer,
    Campaign,
    Option,
    Question,
    Questionnaire,
    Response,
    Target,
)
from parindex.units.models import Unit


@dataclass(frozen=True)
class Design:
    """A questionnaire as the engine sees it, with the leaves it scores and their names."""

    survey: SurveyDesign
    leaves: dict[str, engine.Criterion]  # the questionnaire's leaves, in document order
    uncovered: tuple[engine.Criterion, ...]  # survey leaves of the set with no question
    group_names: dict[str, str]
    question_texts: dict[str, str]
    option_labels: dict[str, list[tuple[str, str, Decimal | None]]]  # question → options
    # The codes of the questionnaire's rows by primary key, to read tallies without joins.
    codes: dict[str, dict[int, str]] = field(default_factory=dict)  # question, group, option


def design_of(questionnaire: Questionnaire) -> Design:
    """The engine's view of a questionnaire version (five queries, or three with a warm cache)."""
    groups = list(questionnaire.groups.all())
    scale: list[Option] = []
    own: dict[int, list[Option]] = defaultdict(list)
    option_codes: dict[int, str] = {}
    for option in Option.objects.filter(questionnaire=questionnaire).order_by("position"):
        (own[option.question_id] if option.question_id else scale).append(option)
        option_codes[option.pk] = option.code
    asked: dict[int, list[str]] = defaultdict(list)
    for question_id, code in (
        Question.groups.through.objects.filter(question__questionnaire=questionnaire)
        .order_by("respondentgroup__position")
        .values_list("question_id", "respondentgroup__code")
    ):
        asked[question_id].append(code)
    questions = list(
        Question.objects.filter(questionnaire=questionnaire).select_related("criterion")
    )
    survey_questions = []
    option_labels = {}
    for question in questions:
        options = own[question.pk] if question.has_own_options else scale
        survey_questions.append(
            SurveyQuestion(
                question.code,
                question.criterion.code,
                tuple(asked[question.pk]),
                {option.code: option.percent for option in options},
            )
        )
        option_labels[question.code] = [
            (option.code, option.label, option.percent) for option in options
        ]
    tree = engine_index_set(questionnaire.index_set)
    linked = {question.criterion.code for question in questions}
    leaves = {leaf.code: leaf for leaf in tree.leaves() if leaf.code in linked}
    uncovered = tuple(
        leaf
        for leaf in tree.leaves()
        if leaf.source == engine.Source.SURVEY and leaf.code not in linked
    )
    survey = SurveyDesign(
        questionnaire.min_responses,
        {group.code: group.weight for group in groups},
        tuple(sorted(survey_questions, key=lambda q: list(leaves).index(q.criterion))),
    )
    return Design(
        survey,
        leaves,
        uncovered,
        {group.code: group.name for group in groups},
        {question.code: question.text for question in questions},
        option_labels,
        {
            "question": {question.pk: question.code for question in questions},
            "group": {group.pk: group.code for group in groups},
            "option": option_codes,
        },
    )


Tallies = dict[str, dict[str, dict[str, dict[str, int]]]]  # unit → question → group → option


def tallies(campaign: Campaign, design: Design, unit_codes: dict[int, str]) -> Tallies:
    """Answers counted per unit, question, group and option (one query; excluded left out).

    The database groups by keys alone (no join beyond the response); the codes come from the
    questionnaire's design and the campaign's units, already read."""
    out: Tallies = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    questions, groups, options = (design.codes[name] for name in ("question", "group", "option"))
    rows = (
        Answer.objects.filter(
            response__campaign=campaign, response__excluded_reason="", option__isnull=False
        )
        .values_list("response__unit_id", "question_id", "response__group_id", "option_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, question_id, group_id, option_id, n in rows:
        out[unit_codes[unit_id]][questions[question_id]][groups[group_id]][options[option_id]] = n
    return out


def evaluated_units(campaign: Campaign) -> dict[int, tuple[str, str]]:
    """The units a campaign evaluates, primary key → (code, name), in one query: those its
    round scores on the questionnaire's index set, its targets, and any unit with responses."""
    assessed = Unit.objects.filter(
        assessments__round_id=campaign.round_id,
        assessments__index_set__code=campaign.questionnaire.index_set.code,
    )
    evaluated = Unit.objects.filter(
        Q(pk__in=assessed.values("pk"))
        | Q(pk__in=Target.objects.filter(campaign=campaign).values("unit_id"))
        | Q(pk__in=Response.objects.filter(campaign=campaign).values("unit_id"))
    )
    rows = evaluated.order_by("code").values_list("pk", "code", "name")
    return {pk: (code, name) for pk, code, name in rows}


@dataclass(frozen=True)
class CampaignScores:
    """Every unit's result on every leaf of the questionnaire."""

    campaign: Campaign
    design: Design
    units: dict[str, str]  # code → name
    results: dict[str, dict[str, LeafResult]]  # unit → leaf → result
    tallies: Tallies  # unit → question → group → option

    def rows(self) -> Iterator[tuple[str, LeafResult]]:
        """(unit code, result) for each unit and leaf, units by code, leaves in order."""
        for unit in self.units:
            for result in self.results[unit].values():
                yield unit, result

    @property
    def without_data(self) -> list[tuple[str, LeafResult]]:
        """The units' leaves that have no percent: they score 0 (the office's list)."""
        return [(unit, result) for unit, result in self.rows() if result.percent is None]


def campaign_scores(campaign: Campaign) -> CampaignScores:
    """Score a campaign's responses per unit and survey leaf (exact; see docs/design.md)."""
    design = design_of(campaign.questionnaire)
    unit_rows = evaluated_units(campaign)
    units = dict(unit_rows.values())
    counted = tallies(campaign, design, {pk: code for pk, (code, _name) in unit_rows.items()})
    results = score_survey(design.survey, design.leaves, counted, units)
    return CampaignScores(campaign, design, units, results, counted)


def percent_text(value: Any) -> str:
    """A percent or points value as the machine CSV writes it: '.' and 2 decimals."""
    return "" if value is None else f"{value:.2f}"
