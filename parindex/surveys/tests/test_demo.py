"""The demo's surveys: a campaign per unit type of the current round with about 2,000 responses
from every channel, applied; last year's campaign; SIPAS for three years and PAPI for two."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Item
from parindex.surveys import analysis, scoring
from parindex.surveys.models import Campaign, PaperEntry, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_world):
    return demo_world


def test_the_current_round_has_about_two_thousand_responses_by_every_channel(world):
    current = Response.objects.filter(campaign__round=world.current_round)
    assert 1800 <= current.count() <= 2300
    channels = dict(current.values_list("channel").annotate(n=Count("id")))
    assert set(channels) == {"file", "web", "paper"} and min(channels.values()) >= 30
    assert PaperEntry.objects.filter(is_accepted=False).exists()  # forms waiting for a match
    assert [c.code for c in world.survey_campaigns] == ["XHH-SO-2026", "XHH-TW-2026", "XHH-XA-2026"]


def test_the_campaigns_are_applied_to_the_sample_sets_survey_leaves(world):
    items = Item.objects.filter(assessment__round=world.current_round, criterion__source="survey")
    with_value = items.exclude(survey_answer=None).count()
    assert with_value >= 0.95 * items.count()
    assert all(run.applied_at for run in world.survey_campaigns)
    scores = scoring.campaign_scores(world.survey_campaigns[0])
    assert scores.without_data  # one unit's group sent nothing: listed for the office


def test_last_years_campaign_gives_the_year_on_year_view(world):
    run = world.survey_campaigns[0]
    before = analysis.previous_campaign(run)
    assert before is not None and before.round == world.previous_round
    rows = analysis.year_on_year(scoring.campaign_scores(run), scoring.campaign_scores(before))
    assert all(row.change is not None for row in rows)


def test_sipas_has_three_years_and_papi_two(world):
    assert len(analysis.sipas_years()) == 3
    assert len(analysis.papi_years()) == 2
    assert analysis.our_province() in analysis.papi_provinces(analysis.papi_years()[0])


def test_the_office_opens_every_survey_page_of_the_demo(world, client):
    client.force_login(User.objects.get(username="cchc"))
    run = world.survey_campaigns[2]
    pages = [
        reverse("surveys:index"),
        reverse("surveys:sipas"),
        reverse("surveys:papi"),
        reverse("surveys:questionnaire", kwargs={"pk": run.questionnaire_id}),
    ] + [
        reverse(f"surveys:{name}", kwargs={"pk": run.pk})
        for name in (
            "campaign",
            "campaign_targets",
            "campaign_invite",
            "campaign_responses",
            "paper",
            "campaign_results",
            "campaign_apply",
            "campaign_analysis",
        )
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert Campaign.objects.filter(round=world.previous_round, status="closed").exists()
