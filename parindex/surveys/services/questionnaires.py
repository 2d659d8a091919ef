"""Writes of questionnaires: import (new code, new version, or unchanged) and copy to a new year.

A questionnaire version never changes once saved: campaigns and their responses point at it.
Importing a file whose code exists makes the next version, unless the file equals the latest
version (then nothing is written, so re-running an import is safe).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from parindex import engine
from parindex.core import audit
from parindex.indexsets import queries as indexset_queries
from parindex.indexsets.models import Criterion, IndexSet
from parindex.surveys import queries
from parindex.surveys.models import Option, Question, Questionnaire, RespondentGroup
from parindex.surveys.spec import (
    OptionSpec,
    QuestionnaireRefused,
    QuestionnaireSpec,
    location,
    parse_questionnaire,
    to_document,
)

# Rules that turn a percentage into points; a survey leaf must use one of them.
PERCENT_RULES = (engine.ProportionalRule, engine.PercentTiersRule)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    questionnaire: Questionnaire
    action: str  # created, new_version, unchanged
    dry_run: bool = False


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        self.result = result


def survey_leaves(spec: QuestionnaireSpec) -> tuple[IndexSet, dict[str, Criterion]]:
    """The index set a questionnaire names and its rows for the questions' criteria, checked:
    the latest published version, each criterion a survey leaf scored on a percentage."""
    index_set = indexset_queries.latest_published(spec.index_set)
    if index_set is None:
        raise QuestionnaireRefused(
            [
                f"{location(('index_set',))}: "
                + _("there is no published index set “%(code)s”.") % {"code": spec.index_set}
            ],
            code="questionnaire.unknown_index_set",
        )
    tree = indexset_queries.engine_index_set(index_set)
    rows = {row.code: row for row in Criterion.objects.filter(index_set=index_set)}
    problems: list[tuple[str, str]] = []
    for question in spec.questions:
        where = location(("questions", question.code, "criterion"))
        row = rows.get(question.criterion)
        if row is None:
            problems.append(
                (
                    "questionnaire.unknown_criterion",
                    f"{where}: "
                    + _("the index set %(set)s has no criterion “%(code)s”.")
                    % {"set": index_set.code, "code": question.criterion},
                )
            )
            continue
        node = tree.criterion(question.criterion)
        if not node.is_leaf or node.source != engine.Source.SURVEY:
            problems.append(
                (
                    "questionnaire.not_a_survey_leaf",
                    f"{where}: "
                    + _("criterion %(code)s is not a leaf scored from the survey (source: survey).")
                    % {"code": question.criterion},
                )
            )
        elif not isinstance(node.scoring_rule, PERCENT_RULES):
            problems.append(
                (
                    "questionnaire.not_a_percentage",
                    f"{where}: "
                    + _(
                        "criterion %(code)s must be scored on a percentage (proportional or tiers)."
                    )
                    % {"code": question.criterion},
                )
            )
    if problems:
        raise QuestionnaireRefused(
            [text for _code, text in problems],
            code="questionnaire.criteria_invalid",
            codes=[code for code, _text in problems],
        )
    return index_set, rows


def import_questionnaire(
    *, spec: QuestionnaireSpec, by: Any, dry_run: bool = False
) -> ImportResult:
    """Save a checked questionnaire: a new code, a new version, or nothing when unchanged."""
    try:
        return _import(spec=spec, by=by, dry_run=dry_run)
    except _DryRun as rolled_back:
        return rolled_back.result


@transaction.atomic
def _import(
    *, spec: QuestionnaireSpec, by: Any, dry_run: bool, derived_from: Questionnaire | None = None
) -> ImportResult:
    index_set, rows = survey_leaves(spec)
    latest = queries.latest_questionnaire(spec.code)
    if (
        latest is not None
        and latest.index_set_id == index_set.pk
        and queries.questionnaire_spec(latest) == spec
    ):
        return ImportResult(latest, "unchanged", dry_run)
    version = (
        Questionnaire.objects.filter(code=spec.code).aggregate(top=Max("version"))["top"] or 0
    ) + 1
    questionnaire = Questionnaire.objects.create(
        code=spec.code,
        version=version,
        name=spec.name,
        index_set=index_set,
        min_responses=spec.min_responses,
        derived_from=derived_from or latest,
    )
    _write_rows(questionnaire, spec, rows)
    action = "created" if latest is None else "new_version"
    audit.record(
        questionnaire,
        f"questionnaire.{action}",
        by=by,
        new={"version": version, "index_set": str(index_set), "questions": len(spec.questions)},
    )
    result = ImportResult(questionnaire, action, dry_run)
    if dry_run:
        raise _DryRun(result)
    return result


def _write_rows(
    questionnaire: Questionnaire, spec: QuestionnaireSpec, rows: dict[str, Criterion]
) -> None:
    """The groups, the scale, the questions and their own options (a few bulk inserts)."""
    groups = RespondentGroup.objects.bulk_create(
        RespondentGroup(
            questionnaire=questionnaire,
            position=position,
            code=group.code,
            name=group.name,
            weight=group.weight,
        )
        for position, group in enumerate(spec.groups, start=1)
    )
    group_of = {group.code: group for group in groups}
    questions = Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            position=position,
            code=question.code,
            text=question.text,
            criterion=rows[question.criterion],
            has_own_options=question.options is not None,
        )
        for position, question in enumerate(spec.questions, start=1)
    )
    links = [
        Question.groups.through(question_id=row.pk, respondentgroup_id=group_of[code].pk)
        for row, question in zip(questions, spec.questions, strict=True)
        for code in question.groups
    ]
    Question.groups.through.objects.bulk_create(links)
    options = _options(questionnaire, None, spec.options)
    for row, question in zip(questions, spec.questions, strict=True):
        options += _options(questionnaire, row, question.options or ())
    Option.objects.bulk_create(options)


def _options(
    questionnaire: Questionnaire, question: Question | None, specs: Iterable[OptionSpec]
) -> list[Option]:
    """Rows for a scale (question None) or a question's own options, in order."""
    return [
        Option(
            questionnaire=questionnaire,
            question=question,
            position=position,
            code=option.code,
            label=option.label,
            percent=option.percent,
        )
        for position, option in enumerate(specs, start=1)
    ]


def copy_questionnaire(
    *, source: Questionnaire, code: str, name: str, index_set_code: str, by: Any
) -> ImportResult:
    """Start next year's questionnaire from this one: same groups, scale and questions, on
    another index set; every question's criterion must be a survey leaf of the new set."""
    document = to_document(queries.questionnaire_spec(source))
    document.update(code=code, name=name, index_set=index_set_code)
    spec = parse_questionnaire(document)
    if Questionnaire.objects.filter(code=code).exists():
        raise QuestionnaireRefused(
            [
                f"{location(('code',))}: "
                + _("the code %(code)s is already used; choose a new code for the copy.")
                % {"code": code}
            ],
            code="questionnaire.code_taken",
        )
    return _import(spec=spec, by=by, dry_run=False, derived_from=source)
