"""Reads for surveys: questionnaires and their spec, campaigns, permission-aware getters, lists.

Scores computed from the responses are in `scoring.py`; analyses in `analysis.py`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.core.vietnamese_sql import words_in
from parindex.surveys.models import (
    Campaign,
    Invitation,
    Option,
    Question,
    Questionnaire,
    RespondentGroup,
    Response,
    Target,
)
from parindex.surveys.spec import GroupSpec, OptionSpec, QuestionnaireSpec, QuestionSpec
from parindex.units.models import Unit

# -- permission-aware getters ---------------------------------------------------------------------


def require(user: AnyUser, perm: str) -> None:
    """Refuse (403) who does not hold `perm`."""
    if not permissions.has(user, perm):
        raise PermissionDenied


def get_questionnaire_for_reader(user: AnyUser, pk: int) -> Questionnaire:
    """One questionnaire version, for someone who may read surveys."""
    require(user, "view_surveys")
    return get_object_or_404(Questionnaire.objects.select_related("index_set"), pk=pk)


def get_questionnaire_for_manager(user: AnyUser, pk: int) -> Questionnaire:
    """One questionnaire version, for someone who may manage surveys."""
    require(user, "manage_surveys")
    return get_object_or_404(Questionnaire.objects.select_related("index_set"), pk=pk)


def _campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("questionnaire__index_set", "round")


def get_campaign_for_reader(user: AnyUser, pk: int) -> Campaign:
    """One campaign, for someone who may read survey results."""
    require(user, "view_surveys")
    return get_object_or_404(_campaigns(), pk=pk)


def get_campaign_for_manager(user: AnyUser, pk: int) -> Campaign:
    """One campaign, for someone who runs surveys."""
    require(user, "manage_surveys")
    return get_object_or_404(_campaigns(), pk=pk)


def get_campaign_for_data_entry(user: AnyUser, pk: int) -> Campaign:
    """One campaign, for someone who types in paper forms."""
    require(user, "enter_survey_forms")
    return get_object_or_404(_campaigns(), pk=pk)


# -- questionnaires ------------------------------------------------------------------------------


def latest_questionnaire(code: str) -> Questionnaire | None:
    """The newest version of a questionnaire code."""
    return (
        Questionnaire.objects.select_related("index_set")
        .filter(code=code)
        .order_by("-version")
        .first()
    )


def questionnaires() -> QuerySet[Questionnaire]:
    """Every questionnaire version with its index set and counts, newest code first."""
    return (
        Questionnaire.objects.select_related("index_set")
        .annotate(
            question_count=Count("questions", distinct=True),
            campaign_count=Count("campaigns", distinct=True),
        )
        .order_by("-index_set__valid_from", "code", "-version")
    )


def _plain(value: Decimal) -> Decimal:
    """A stored number without trailing zeros (100.00 → 100, 0.50 → 0.5)."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def _option_spec(option: Option) -> OptionSpec:
    percent = None if option.percent is None else _plain(option.percent)
    return OptionSpec(option.code, option.label, percent)


def questionnaire_spec(questionnaire: Questionnaire) -> QuestionnaireSpec:
    """The canonical content of a stored questionnaire version (four queries)."""
    groups = list(RespondentGroup.objects.filter(questionnaire=questionnaire))
    group_code = {group.pk: group.code for group in groups}
    options: dict[int | None, list[OptionSpec]] = defaultdict(list)
    for option in Option.objects.filter(questionnaire=questionnaire).order_by(
        "question_id", "position"
    ):
        options[option.question_id].append(_option_spec(option))
    asked: dict[int, list[str]] = defaultdict(list)
    for question_id, group_id in (
        Question.groups.through.objects.filter(question__questionnaire=questionnaire)
        .order_by("respondentgroup__position")
        .values_list("question_id", "respondentgroup_id")
    ):
        asked[question_id].append(group_code[group_id])
    questions = tuple(
        QuestionSpec(
            question.code,
            question.text,
            question.criterion.code,
            tuple(asked[question.pk]),
            tuple(options[question.pk]) if question.has_own_options else None,
        )
        for question in Question.objects.filter(questionnaire=questionnaire).select_related(
            "criterion"
        )
    )
    return QuestionnaireSpec(
        code=questionnaire.code,
        name=questionnaire.name,
        index_set=questionnaire.index_set.code,
        min_responses=questionnaire.min_responses,
        options=tuple(options[None]),
        groups=tuple(GroupSpec(group.code, group.name, _plain(group.weight)) for group in groups),
        questions=questions,
    )


def questionnaire_versions(code: str) -> QuerySet[Questionnaire]:
    """Every version of a code, newest first."""
    return Questionnaire.objects.filter(code=code).order_by("-version")


def campaigns(filters: dict[str, str] | None = None) -> QuerySet[Campaign]:
    """Campaigns with their response counts, newest round first (filters: round, status, q)."""
    filters = filters or {}
    rows = _campaigns().annotate(response_count=Count("responses"))
    if filters.get("round"):
        rows = rows.filter(round__code=filters["round"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("q"):
        rows = rows.filter(words_in(filters["q"], "code", "questionnaire__name"))
    return rows.order_by("-round__year", "code")


class CampaignNotFound(LookupError):
    """No campaign answers to the code (and round) given; the message says what exists."""


def campaign_by_code(code: str, round_code: str = "") -> Campaign:
    """The campaign of a questionnaire code: in the given round, else its latest round."""
    rows = _campaigns().filter(code=code).order_by("-round__year", "-pk")
    if round_code:
        rows = rows.filter(round__code=round_code)
    campaign = rows.first()
    if campaign is None:
        if round_code:
            message = _("There is no campaign of the questionnaire %(code)s in round %(round)s.")
        else:
            message = _("There is no campaign of the questionnaire %(code)s.")
        raise CampaignNotFound(message % {"code": code, "round": round_code})
    return campaign


# -- progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """How far a unit's group is: responses counted against the sample target."""

    unit_id: int
    unit_code: str
    unit_name: str
    group_code: str
    group_name: str
    group_position: int
    population: int | None
    sample: int
    responses: int
    invited: int
    answered: int  # invitations used

    @property
    def percent(self) -> int:
        """Responses over the sample, in whole percent, capped at 100 (for the bar)."""
        if not self.sample:
            return 100 if self.responses else 0
        return min(100, self.responses * 100 // self.sample)

    @property
    def is_reached(self) -> bool:
        return self.responses >= self.sample


def progress(campaign: Campaign) -> list[ProgressRow]:
    """Progress per unit and group (targets, and any pair with responses): three queries."""
    counts: dict[tuple[int, int], int] = {
        (row["unit_id"], row["group_id"]): row["n"]
        for row in Response.objects.filter(campaign=campaign, excluded_reason="")
        .values("unit_id", "group_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    invitations: dict[tuple[int, int], tuple[int, int]] = {
        (row["unit_id"], row["group_id"]): (row["n"], row["used"])
        for row in Invitation.objects.filter(campaign=campaign)
        .values("unit_id", "group_id")
        .annotate(n=Count("id"), used=Count("id", filter=Q(used_on__isnull=False)))
        .order_by()
    }
    targets = {
        (target.unit_id, target.group_id): target
        for target in Target.objects.filter(campaign=campaign).select_related("unit", "group")
    }
    pairs = set(targets) | set(counts) | set(invitations)
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in={u for u, _g in pairs})}
    groups = {
        group.pk: group
        for group in RespondentGroup.objects.filter(questionnaire_id=campaign.questionnaire_id)
    }
    rows = []
    for unit_id, group_id in pairs:
        target = targets.get((unit_id, group_id))
        unit, group = units[unit_id], groups[group_id]
        invited, answered = invitations.get((unit_id, group_id), (0, 0))
        rows.append(
            ProgressRow(
                unit_id,
                unit.code,
                unit.name,
                group.code,
                group.name,
                group.position,
                target.population if target else None,
                target.sample if target else 0,
                counts.get((unit_id, group_id), 0),
                invited,
                answered,
            )
        )
    rows.sort(key=lambda row: (row.unit_code, row.group_position))
    return rows


# -- pages ---------------------------------------------------------------------------------------


def campaign_rounds() -> list[tuple[str, str]]:
    """(code, name) of the rounds with campaigns, newest first (the overview's filter)."""
    from parindex.rounds.models import Round

    return list(
        Round.objects.filter(pk__in=Campaign.objects.values("round_id"))
        .order_by("-year", "code")
        .values_list("code", "name")
    )


def questionnaire_context(questionnaire: Questionnaire) -> dict[str, Any]:
    """What a questionnaire's page shows (a handful of queries)."""
    from parindex.surveys.forms import CopyForm

    spec = questionnaire_spec(questionnaire)
    names = {
        code: name
        for code, name in questionnaire.index_set.criteria.filter(
            code__in=[q.criterion for q in spec.questions]
        ).values_list("code", "name")
    }
    next_year = questionnaire.index_set.valid_from + 1
    return {
        "questionnaire": questionnaire,
        "spec": spec,
        "criterion_names": names,
        "versions": questionnaire_versions(questionnaire.code),
        "campaigns": Campaign.objects.filter(questionnaire=questionnaire).select_related("round"),
        "copy_form": CopyForm(
            initial={
                "code": questionnaire.code.replace(
                    str(questionnaire.index_set.valid_from), str(next_year)
                ),
                "name": questionnaire.name,
                "index_set": questionnaire.index_set.code.replace(
                    str(questionnaire.index_set.valid_from), str(next_year)
                ),
            }
        ),
    }


def campaign_units(campaign: Campaign) -> QuerySet[Unit]:
    """The units a campaign surveys: its round's units scored on its questionnaire's set."""
    return Unit.objects.filter(
        assessments__round_id=campaign.round_id,
        assessments__index_set__code=campaign.questionnaire.index_set.code,
    ).order_by("code")


def targets(campaign: Campaign) -> QuerySet[Target]:
    """A campaign's targets by unit and group."""
    return Target.objects.filter(campaign=campaign).select_related("unit", "group")


@dataclass(frozen=True)
class WaitingForm:
    """A paper form typed once (or typed twice differently): it waits for a matching entry."""

    form_number: str
    unit: str
    group: str
    entries: int
    by: str


def paper_waiting(campaign: Campaign) -> list[WaitingForm]:
    """Paper forms not yet accepted, by number (one query)."""
    from parindex.surveys.models import PaperEntry

    forms: dict[str, list[Any]] = defaultdict(list)
    for entry in PaperEntry.objects.filter(campaign=campaign, is_accepted=False).select_related(
        "unit", "group", "entered_by"
    ):
        forms[entry.form_number].append(entry)
    return [
        WaitingForm(
            number,
            entries[0].unit.code,
            entries[0].group.code,
            len(entries),
            ", ".join(sorted({str(entry.entered_by) for entry in entries})),
        )
        for number, entries in sorted(forms.items())
    ]
