"""Writes of campaigns: start one in a round, set targets and sample sizes, close it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import audit
from parindex.rounds.models import Round, RoundIndexSet
from parindex.surveys.models import Campaign, Questionnaire


class CampaignRefused(ValueError):
    """The campaign action is not allowed; the message says why."""


def ensure_round_open_for_surveys(round_: Round) -> None:
    """Refuse survey work in a round whose results are published (frozen)."""
    if round_.status == Round.Status.PUBLISHED:
        raise CampaignRefused(
            _("The round %(round)s is published; its survey points no longer change.")
            % {"round": round_.code}
        )


@transaction.atomic
def create_campaign(
    *, questionnaire: Questionnaire, round_: Round, closes_on: dt.date, by: Any
) -> Campaign:
    """Run a questionnaire version in a round that scores units on its index set."""
    ensure_round_open_for_surveys(round_)
    set_code = questionnaire.index_set.code
    if not RoundIndexSet.objects.filter(round=round_, index_set__code=set_code).exists():
        raise CampaignRefused(
            _("The round %(round)s does not score any unit type on the index set %(set)s.")
            % {"round": round_.code, "set": set_code}
        )
    if Campaign.objects.filter(round=round_, code=questionnaire.code).exists():
        raise CampaignRefused(
            _("The round %(round)s already has a campaign of the questionnaire %(code)s.")
            % {"round": round_.code, "code": questionnaire.code}
        )
    campaign = Campaign.objects.create(
        questionnaire=questionnaire, code=questionnaire.code, round=round_, closes_on=closes_on
    )
    audit.record(
        campaign,
        "survey_campaign.created",
        by=by,
        new={"questionnaire": str(questionnaire), "round": round_.code, "closes_on": closes_on},
    )
    return campaign
