"""Permission matrix entries for surveys: the office runs them; the council and leaders (viewer)
read results and analyses; the public form opens for anyone holding a valid one-time link."""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, PUBLIC, Route
from parindex.surveys.services import campaigns
from parindex.surveys.services.campaigns import Invitee
from parindex.surveys.tests.factories import campaign, survey_set

READERS = OFFICE | {"council", "viewer"}


def setup(world):
    survey_set()
    world.survey_campaign = campaign(units=[world.home_unit, world.other_unit])
    group = world.survey_campaign.questionnaire.groups.get(code="LDP")
    (issued,) = campaigns.issue_invitations(
        campaign=world.survey_campaign, invitees=[Invitee(world.home_unit, group)], by=None
    )
    world.survey_token = issued.token


def _questionnaire(world):
    return {"pk": world.survey_campaign.questionnaire_id}


def _campaign(world):
    return {"pk": world.survey_campaign.pk}


ROUTES = [
    Route("surveys:index", READERS),
    Route("surveys:questionnaire", READERS, kwargs=_questionnaire),
    Route("surveys:questionnaire_export", READERS, kwargs=_questionnaire),
    Route("surveys:questionnaire_import", OFFICE),
    # An empty copy form is refused and the questionnaire's page is shown again.
    Route("surveys:questionnaire_copy", OFFICE, kwargs=_questionnaire, method="post"),
    Route("surveys:campaign_create", OFFICE),
    Route("surveys:campaign", READERS, kwargs=_campaign),
    Route("surveys:campaign_targets", OFFICE, kwargs=_campaign),
    Route("surveys:campaign_invite", OFFICE, kwargs=_campaign),
    Route("surveys:campaign_unit_options", READERS, kwargs=_campaign),
    Route("surveys:campaign_remind", OFFICE, kwargs=_campaign, method="post", ok=302),
    Route("surveys:campaign_close", OFFICE, kwargs=_campaign, method="post", ok=302),
    Route("surveys:campaign_reopen", OFFICE, kwargs=_campaign, method="post", ok=302),
    Route("surveys:campaign_responses", OFFICE, kwargs=_campaign),
    Route("surveys:campaign_responses_import", OFFICE, kwargs=_campaign),
    Route("surveys:paper", OFFICE, kwargs=_campaign),
    Route("surveys:campaign_results", READERS, kwargs=_campaign),
    Route(
        "surveys:campaign_unit",
        READERS,
        kwargs=lambda w: {"pk": w.survey_campaign.pk, "code": w.home_unit.code},
    ),
    Route("surveys:campaign_apply", OFFICE, kwargs=_campaign),
    Route("surveys:campaign_analysis", READERS, kwargs=_campaign),
    Route("surveys:sipas", READERS),
    Route("surveys:sipas_import", OFFICE),
    Route("surveys:papi", READERS),
    Route("surveys:papi_import", OFFICE),
    # The public form: anyone with a valid one-time link, no login (an invalid one is a 404).
    Route("surveys:form", PUBLIC, kwargs=lambda w: {"token": w.survey_token}),
    Route("surveys:form_done", PUBLIC),
]
