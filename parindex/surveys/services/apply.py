"""Apply a campaign: its responses become the survey points of its round, before publication.

The points are computed exactly (see `parindex.engine.surveys`) and written through the
assessments app's bulk survey values (`assessments.bulk.write_survey_values`, the scores
import at the survey stage): every value is checked against its leaf's rule, every change is
audited per item with the campaign, percent and responses as its note, and the whole campaign
is applied or nothing is. Only changed values are sent. A leaf without a percent for a unit
scores 0 (written as 0 points if it held a survey value); a leaf the office marked not
applicable (NA) keeps it. A national campaign (3,500 communes, about 21,000 values) is written
with a few statements (`make bench`: survey_apply_s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.assessments import answers, bulk
from parindex.assessments.models import Item
from parindex.core import audit
from parindex.core.formatting import format_number
from parindex.surveys.models import Campaign
from parindex.surveys.scoring import campaign_scores
from parindex.surveys.services.campaigns import CampaignRefused, ensure_round_open_for_surveys

ZERO = Decimal("0.00")


@dataclass
class Applied:
    """What applying a campaign did (or, in a dry run, would do)."""

    written: int = 0
    unchanged: int = 0
    kept_na: int = 0
    without_data: list[tuple[str, str]] = field(default_factory=list)  # (unit, leaf)
    not_in_round: list[str] = field(default_factory=list)  # units scored but not assessed
    dry_run: bool = False


def _notes(campaign: Campaign) -> Callable[[Decimal | None, int], str]:
    """The note of each value written (its audit entry's reason): the campaign, the percent
    and the answers behind it. Translated once and each percent formatted once, as a national
    campaign writes some 20,000 values."""
    without_data = _("Survey %(code)s: no data; the criterion scores 0.") % {"code": campaign.code}
    with_data = _("Survey %(code)s: %(percent)s%% from %(n)d answer(s).")
    formatted: dict[Decimal, str] = {}

    def note(percent: Decimal | None, responses: int) -> str:
        if percent is None:
            return without_data
        text = formatted.get(percent)
        if text is None:
            text = formatted[percent] = format_number(percent)
        return with_data % {"code": campaign.code, "percent": text, "n": responses}

    return note


def _survey_values(campaign: Campaign) -> dict[str, dict[str, Any]]:
    """The survey values the round holds now, per assessed unit and leaf (one query, unordered:
    an item's default order joins the round and the unit type and sorts them all)."""
    values: dict[str, dict[str, Any]] = {}
    for unit, code, stored in (
        Item.objects.filter(
            assessment__round=campaign.round,
            assessment__index_set__code=campaign.questionnaire.index_set.code,
            criterion__source="survey",
        )
        .order_by()
        .values_list("assessment__unit__code", "criterion__code", "survey_answer")
    ):
        values.setdefault(unit, {})[code] = answers.from_json(stored)
    return values


def plan(campaign: Campaign) -> tuple[list[tuple[str, str, Decimal, str]], Applied]:
    """The survey values to write into the round — (unit, leaf, points, note) — and what stays
    as it is."""
    scores = campaign_scores(campaign)
    applied = Applied()
    current = _survey_values(campaign)
    rows: list[tuple[str, str, Decimal, str]] = []
    note = _notes(campaign)
    for unit in scores.units:
        if unit not in current:
            applied.not_in_round.append(unit)
            continue
        surveyed = current[unit]
        for code, result in scores.results[unit].items():
            old = surveyed.get(code)
            if result.percent is None:
                applied.without_data.append((unit, code))
            if isinstance(old, engine.NotApplicable):
                applied.kept_na += 1
                continue
            if result.percent is None and old is None:
                continue  # nothing to clear: the leaf already scores 0
            points = result.points if result.percent is not None else ZERO
            if isinstance(old, Decimal) and old == points:
                applied.unchanged += 1
                continue
            rows.append((unit, code, points, note(result.percent_rounded, result.responses)))
    applied.written = len(rows)
    return rows, applied


def apply_campaign(*, campaign: Campaign, by: Any, dry_run: bool = False) -> Applied:
    """Write a campaign's survey points into its round (audited; all or nothing)."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .select_related("round", "questionnaire__index_set")
            .get(pk=campaign.pk)
        )
        ensure_round_open_for_surveys(campaign.round)
        rows, applied = plan(campaign)
        if rows:
            try:
                bulk.write_survey_values(round_=campaign.round, values=rows, by=by)
            except bulk.ImportFailed as failed:
                raise CampaignRefused(
                    failed.problems, code="campaign.values_refused", codes=failed.codes
                ) from None
        campaign.applied_at = timezone.now()
        campaign.applied_by = by if getattr(by, "is_authenticated", False) else None
        campaign.save(update_fields=["applied_at", "applied_by", "updated_at"])
        audit.record(
            campaign,
            "survey_campaign.applied",
            by=by,
            new={
                "round": campaign.round.code,
                "written": applied.written,
                "unchanged": applied.unchanged,
                "kept_na": applied.kept_na,
                "without_data": len(applied.without_data),
            },
        )
        if dry_run:
            applied.dry_run = True
            transaction.set_rollback(True)
    return applied
