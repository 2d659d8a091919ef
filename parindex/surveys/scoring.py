"""A campaign's survey scores: the engine's input built in a few queries, and its results.

`campaign_scores` reads the questionnaire (groups, weights, options with percents, questions
and their leaves) and the counted tallies of answers per unit, question, group and option (one
GROUP BY), and hands them to `parindex.engine.surveys`. Excluded responses are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from parindex import engine
from parindex.engine.surveys import LeafResult, SurveyDesign, SurveyQuestion, score_survey
from parindex.indexsets.queries import engine_index_set
from parindex.surveys.models import Answer, Campaign, Option, Question, Questionnaire, Target
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


def design_of(questionnaire: Questionnaire) -> Design:
    """The engine's view of a questionnaire version (five queries, or three with a warm cache)."""
    groups = list(questionnaire.groups.all())
    scale: list[Option] = []
    own: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(questionnaire=questionnaire).order_by("position"):
        (own[option.question_id] if option.question_id else scale).append(option)
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
    )


def tallies(campaign: Campaign) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    """Answers counted per unit, question, group and option (one query; excluded left out)."""
    out: dict[str, dict[str, dict[str, dict[str, int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    rows = (
        Answer.objects.filter(
            response__campaign=campaign, response__excluded_reason="", option__isnull=False
        )
        .values("response__unit__code", "question__code", "response__group__code", "option__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        out[row["response__unit__code"]][row["question__code"]][row["response__group__code"]][
            row["option__code"]
        ] = row["n"]
    return out


def campaign_units(campaign: Campaign) -> dict[str, str]:
    """The units a campaign evaluates, code → name: those its round scores on the
    questionnaire's index set, its targets, and any unit with responses."""
    assessed = Unit.objects.filter(
        assessments__round_id=campaign.round_id,
        assessments__index_set__code=campaign.questionnaire.index_set.code,
    )
    ids = set(assessed.values_list("pk", flat=True))
    ids |= set(Target.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    ids |= set(campaign.responses.values_list("unit_id", flat=True).distinct())
    return dict(Unit.objects.filter(pk__in=ids).order_by("code").values_list("code", "name"))


@dataclass(frozen=True)
class CampaignScores:
    """Every unit's result on every leaf of the questionnaire."""

    campaign: Campaign
    design: Design
    units: dict[str, str]  # code → name
    results: dict[str, dict[str, LeafResult]]  # unit → leaf → result
    tallies: dict[str, dict[str, dict[str, dict[str, int]]]]  # unit → question → group → option

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
    units = campaign_units(campaign)
    counted = tallies(campaign)
    results = score_survey(design.survey, design.leaves, counted, units)
    return CampaignScores(campaign, design, units, results, counted)


def percent_text(value: Any) -> str:
    """A percent or points value as the machine CSV writes it: '.' and 2 decimals."""
    return "" if value is None else f"{value:.2f}"
