"""Surveys' audited actions in words (questionnaires, campaigns, responses, indices).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "questionnaire.*": _("imported the questionnaire %(object)s"),
            "survey_campaign.created": _("created the survey campaign %(object)s"),
            "survey_campaign.targets_set": _("set the targets of %(object)s"),
            "survey_campaign.target_removed": _("removed a target of %(object)s"),
            "survey_campaign.invitations_issued": _("issued invitations for %(object)s"),
            "survey_campaign.reminded": _("sent reminders for %(object)s"),
            "survey_campaign.closed": _("closed %(object)s"),
            "survey_campaign.reopened": _("reopened %(object)s"),
            "survey_campaign.applied": _("applied the results of %(object)s to the round"),
            "survey.responses_imported": _("imported responses into %(object)s"),
            "survey.responses_excluded": _("excluded responses of %(object)s"),
            "survey.responses_included": _("included responses of %(object)s again"),
            "survey.paper_entered": _("entered a paper response of %(object)s"),
            "survey.paper_accepted": _("accepted a paper response of %(object)s"),
            "surveys.sipas_imported": _("imported the SIPAS results %(object)s"),
            "surveys.papi_imported": _("imported the PAPI scores %(object)s"),
        },
        fields={
            "answers": _("answers"),
            "changed": _("targets changed"),
            "closes_on": _("closes on"),
            "count": _("count"),
            "duplicates": _("duplicates"),
            "form": _("form number"),
            "group": _("respondent group"),
            "index_set": _("index set"),
            "kept_na": _("criteria kept not applicable"),
            "mailed": _("sent by e-mail"),
            "questionnaire": _("questionnaire"),
            "questions": _("questions"),
            "responses": _("responses"),
            "rows": _("rows"),
            "straightlined": _("straight-lined"),
            "unchanged": _("unchanged"),
            "without_data": _("without data"),
            "written": _("survey values written"),
            "years": _("years"),
        },
    )
