"""Responses, however they came: a file (long form), the public form, or a paper form typed in
twice. Every channel ends in `store_responses`, which checks the answers against the
questionnaire, flags duplicates and straight-lining, and inserts in bulk.

Long form (docs/design.md): `response_id,group,unit_code,question_code,answer`, one row per answer;
`answer` is an option code of the question, empty when not answered. An import is all or
nothing; every problem is listed with its row, in Vietnamese (the first MAX_PROBLEMS of them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import audit
from parindex.core.refusals import Problems, Refused
from parindex.surveys.models import (
    Answer,
    Campaign,
    Option,
    Question,
    RespondentGroup,
    Response,
    Target,
)
from parindex.surveys.services.campaigns import CampaignRefused, ensure_round_open_for_surveys
from parindex.units.models import Unit

HEADER = ["response_id", "group", "unit_code", "question_code", "answer"]
MAX_PROBLEMS = 200
BATCH = 5000
# A response answering at least this many questions with one and the same option of the
# questionnaire's scale is flagged as straight-lined; two responses of a unit and group with
# the same answers to at least DUPLICATE_MIN questions are flagged as duplicates.
STRAIGHT_LINE_MIN = 5
DUPLICATE_MIN = 5


class ResponsesRefused(Refused):
    """Responses were refused as a whole; `problems` lists every problem (by row)."""

    default_code = "survey_responses.refused"

    def __init__(
        self, problems: list[str], more: int = 0, *, code: str = "", codes: Sequence[str] = ()
    ) -> None:
        if more:
            problems = [
                *problems,
                _("… and %(n)d more problem(s) not shown.") % {"n": more},
            ]
            codes = [*codes, "survey_responses.more_problems"] if codes else []
        super().__init__(problems, code=code, codes=codes)


@dataclass
class Draft:
    """A response before it is stored: unit, group and the option chosen per question."""

    response_id: str
    unit_id: int
    group_id: int
    answers: dict[int, int | None] = field(default_factory=dict)  # question id → option id
    first_row: int = 0


@dataclass(frozen=True)
class Stored:
    """What storing responses did (or, in a dry run, would do)."""

    responses: int
    answers: int
    duplicates: int
    straightlined: int
    dry_run: bool = False


class Vocabulary:
    """The questionnaire's codes and what the campaign allows, loaded once (a few queries)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        questionnaire = campaign.questionnaire
        self.groups = {
            g.code: g for g in RespondentGroup.objects.filter(questionnaire=questionnaire)
        }
        self.questions = {q.code: q for q in Question.objects.filter(questionnaire=questionnaire)}
        self.asked: dict[int, set[int]] = defaultdict(set)
        for question_id, group_id in Question.groups.through.objects.filter(
            question__questionnaire=questionnaire
        ).values_list("question_id", "respondentgroup_id"):
            self.asked[question_id].add(group_id)
        scale: dict[str, Option] = {}
        own: dict[int, dict[str, Option]] = defaultdict(dict)
        for option in Option.objects.filter(questionnaire=questionnaire):
            if option.question_id is None:
                scale[option.code] = option
            else:
                own[option.question_id][option.code] = option
        self.scale_ids = {option.pk for option in scale.values()}
        self.options = {
            question.pk: own[question.pk] if question.has_own_options else scale
            for question in self.questions.values()
        }

    @cached_property
    def targets(self) -> set[tuple[int, int]]:
        """(unit id, group id) of the campaign's targets (empty: every group, every unit)."""
        return set(Target.objects.filter(campaign=self.campaign).values_list("unit_id", "group_id"))

    @cached_property
    def units(self) -> dict[str, int]:
        """Code → id of the units evaluated: those the round scores on the questionnaire's
        index set, and those with a target."""
        units = dict(
            Unit.objects.filter(
                assessments__round_id=self.campaign.round_id,
                assessments__index_set__code=self.campaign.questionnaire.index_set.code,
            ).values_list("code", "pk")
        )
        units.update(
            Unit.objects.filter(pk__in={unit for unit, _group in self.targets}).values_list(
                "code", "pk"
            )
        )
        return units

    def unit_group_problem(self, unit_id: int, group_id: int) -> str:
        """Why a group may not evaluate a unit in this campaign ('' when it may)."""
        if self.targets and (unit_id, group_id) not in self.targets:
            return _("this group does not evaluate this unit in the campaign")
        return ""


def _answer_row_problems(
    vocabulary: Vocabulary, draft: Draft, question_code: str, answer: str
) -> tuple[list[tuple[str, str]], Question | None, Option | None]:
    """The (code, problem) pairs of an answer row, its question and its option."""
    problems = []
    question = vocabulary.questions.get(question_code)
    option = None
    if question is None:
        problems.append(
            (
                "survey_responses.unknown_question",
                _("there is no question “%(code)s” in the questionnaire") % {"code": question_code},
            )
        )
        return problems, None, None
    if draft.group_id not in vocabulary.asked[question.pk]:
        problems.append(
            (
                "survey_responses.question_not_asked",
                _("question %(code)s is not asked of this group") % {"code": question_code},
            )
        )
    if question.pk in draft.answers:
        problems.append(
            (
                "survey_responses.answered_twice",
                _("question %(code)s is answered twice in this response") % {"code": question_code},
            )
        )
    if answer:
        option = vocabulary.options[question.pk].get(answer)
        if option is None:
            problems.append(
                (
                    "survey_responses.unknown_option",
                    _("“%(answer)s” is not an option of question %(code)s (%(options)s)")
                    % {
                        "answer": answer,
                        "code": question_code,
                        "options": ", ".join(vocabulary.options[question.pk]),
                    },
                )
            )
    return problems, question, option


def drafts_from_rows(campaign: Campaign, rows: Iterable[tuple[int, Sequence[str]]]) -> list[Draft]:
    """Responses from the long-form rows ((row number, cells) after the header), all checked;
    ResponsesRefused lists every problem by row."""
    vocabulary = Vocabulary(campaign)
    drafts: dict[str, Draft] = {}
    problems = Problems()
    more = 0
    existing = set(campaign.responses.values_list("response_id", flat=True))

    def report(number: int, messages: list[tuple[str, str]]) -> None:
        nonlocal more
        for code, message in messages:
            if len(problems.texts) < MAX_PROBLEMS:
                problems.add(
                    _("Row %(row)d: %(problem)s") % {"row": number, "problem": message}, code=code
                )
            else:
                more += 1

    for number, cells in rows:
        response_id, group_code, unit_code, question_code, answer = (
            cell.strip() for cell in (*cells, "", "", "", "", "")[:5]
        )
        row_problems: list[tuple[str, str]] = []
        if not response_id:
            row_problems.append(("survey_responses.no_id", _("response_id is empty")))
        elif len(response_id) > 64:
            row_problems.append(
                ("survey_responses.id_too_long", _("response_id has more than 64 characters"))
            )
        elif response_id in existing:
            row_problems.append(
                (
                    "survey_responses.already_imported",
                    _("response %(id)s was already imported in this campaign")
                    % {"id": response_id},
                )
            )
        group = vocabulary.groups.get(group_code)
        if group is None:
            row_problems.append(
                (
                    "survey_responses.unknown_group",
                    _("“%(group)s” is not a group of the questionnaire (%(known)s)")
                    % {"group": group_code, "known": ", ".join(vocabulary.groups)},
                )
            )
        unit_id = vocabulary.units.get(unit_code)
        if unit_id is None:
            row_problems.append(
                (
                    "survey_responses.unit_not_evaluated",
                    _("unit %(unit)s is not evaluated in this campaign")
                    % {"unit": unit_code or "—"},
                )
            )
        if row_problems or group is None or unit_id is None:
            report(number, row_problems)
            continue
        draft = drafts.get(response_id)
        if draft is None:
            draft = drafts[response_id] = Draft(response_id, unit_id, group.pk, first_row=number)
            if problem := vocabulary.unit_group_problem(unit_id, group.pk):
                report(number, [("survey_responses.group_not_evaluating", problem)])
        elif (draft.unit_id, draft.group_id) != (unit_id, group.pk):
            report(
                number,
                [
                    (
                        "survey_responses.unit_or_group_changed",
                        _("response %(id)s names another unit or group than on row %(row)d")
                        % {"id": response_id, "row": draft.first_row},
                    )
                ],
            )
            continue
        answer_problems, question, option = _answer_row_problems(
            vocabulary, draft, question_code, answer
        )
        if answer_problems or question is None:
            report(number, answer_problems)
            continue
        draft.answers[question.pk] = option.pk if option else None
    if not drafts and not problems:
        raise ResponsesRefused(
            [_("The file has no response rows.")], code="survey_responses.no_rows"
        )
    if problems:
        raise ResponsesRefused(
            problems.texts, more, code="survey_responses.invalid", codes=problems.codes
        )
    return list(drafts.values())


def _signature(answers: dict[int, int | None]) -> tuple[tuple[int, int], ...] | None:
    chosen = tuple(sorted((q, o) for q, o in answers.items() if o is not None))
    return chosen if len(chosen) >= DUPLICATE_MIN else None


def _is_straightlined(answers: dict[int, int | None], scale_ids: set[int]) -> bool:
    on_scale = [option for option in answers.values() if option in scale_ids]
    return len(on_scale) >= STRAIGHT_LINE_MIN and len(set(on_scale)) == 1


def _existing_signatures(campaign: Campaign, pairs: set[tuple[int, int]]) -> set[tuple[Any, ...]]:
    """Signatures of the stored responses of the given (unit, group) pairs (duplicate check)."""
    if not pairs:
        return set()
    answers: dict[int, dict[int, int | None]] = defaultdict(dict)
    keys: dict[int, tuple[int, int]] = {}
    units = {unit for unit, _group in pairs}
    groups = {group for _unit, group in pairs}
    for response_id, unit_id, group_id, question_id, option_id in Answer.objects.filter(
        response__campaign=campaign, response__unit_id__in=units, response__group_id__in=groups
    ).values_list(
        "response_id", "response__unit_id", "response__group_id", "question_id", "option_id"
    ):
        answers[response_id][question_id] = option_id
        keys[response_id] = (unit_id, group_id)
    signatures = set()
    for response_id, chosen in answers.items():
        signature = _signature(chosen)
        if signature is not None:
            signatures.add((*keys[response_id], signature))
    return signatures


def store_responses(
    *, campaign: Campaign, drafts: list[Draft], channel: str, received_on: dt.date
) -> Stored:
    """Insert checked responses with their flags, in batches (the caller holds the transaction)."""
    scale_ids = set(
        Option.objects.filter(
            questionnaire_id=campaign.questionnaire_id, question__isnull=True
        ).values_list("pk", flat=True)
    )
    seen = _existing_signatures(
        campaign,
        {(d.unit_id, d.group_id) for d in drafts if _signature(d.answers) is not None},
    )
    rows = []
    duplicates = straightlined = 0
    for draft in drafts:
        signature = _signature(draft.answers)
        key = (draft.unit_id, draft.group_id, signature)
        is_duplicate = signature is not None and key in seen
        seen.add(key)
        is_straight = _is_straightlined(draft.answers, scale_ids)
        duplicates += is_duplicate
        straightlined += is_straight
        rows.append(
            Response(
                campaign=campaign,
                response_id=draft.response_id,
                unit_id=draft.unit_id,
                group_id=draft.group_id,
                channel=channel,
                received_on=received_on,
                is_duplicate=is_duplicate,
                is_straightlined=is_straight,
            )
        )
    created = Response.objects.bulk_create(rows, batch_size=BATCH)
    answers = [
        Answer(response_id=response.pk, question_id=question, option_id=option)
        for response, draft in zip(created, drafts, strict=True)
        for question, option in draft.answers.items()
    ]
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    return Stored(len(created), len(answers), duplicates, straightlined)


def _ensure_collecting(campaign: Campaign) -> None:
    ensure_round_open_for_surveys(campaign.round)
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignRefused(
            _("The campaign is closed; it takes no more responses."), code="campaign.closed"
        )


def import_responses(
    *, campaign: Campaign, rows: Iterable[tuple[int, Sequence[str]]], by: Any, dry_run: bool = False
) -> Stored:
    """Import long-form responses from a file: all or nothing, audited once for the file."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        try:
            _ensure_collecting(campaign)
        except CampaignRefused as refused:
            raise ResponsesRefused([str(refused)], code=refused.code) from None
        drafts = drafts_from_rows(campaign, rows)
        stored = store_responses(
            campaign=campaign,
            drafts=drafts,
            channel=Response.Channel.FILE,
            received_on=timezone.localdate(),
        )
        audit.record(
            campaign,
            "survey.responses_imported",
            by=by,
            new={
                "responses": stored.responses,
                "answers": stored.answers,
                "duplicates": stored.duplicates,
                "straightlined": stored.straightlined,
            },
        )
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        return Stored(
            stored.responses, stored.answers, stored.duplicates, stored.straightlined, True
        )
    return stored


@transaction.atomic
def exclude_responses(*, campaign: Campaign, ids: list[int], reason: str, by: Any) -> int:
    """Leave responses out of the scores (e.g. confirmed duplicates), with the reason."""
    ensure_round_open_for_surveys(campaign.round)
    if not reason.strip():
        raise CampaignRefused(
            _("Give the reason for leaving the responses out."), code="campaign.no_reason"
        )
    changed = Response.objects.filter(campaign=campaign, pk__in=ids, excluded_reason="").update(
        excluded_reason=reason.strip()[:300]
    )
    audit.record(
        campaign, "survey.responses_excluded", by=by, new={"count": changed}, reason=reason
    )
    return changed


@transaction.atomic
def include_responses(*, campaign: Campaign, ids: list[int], by: Any) -> int:
    """Count excluded responses again."""
    ensure_round_open_for_surveys(campaign.round)
    changed = (
        Response.objects.filter(campaign=campaign, pk__in=ids)
        .exclude(excluded_reason="")
        .update(excluded_reason="")
    )
    audit.record(campaign, "survey.responses_included", by=by, new={"count": changed})
    return changed
