"""Surveys: questionnaires, campaigns, collection (public form, paper entry), results, analysis."""

from __future__ import annotations

from django.urls import path

from parindex.surveys.views import collect, indices, office, public, reports

app_name = "surveys"

urlpatterns = [
    path("", office.index, name="index"),
    path("questionnaires/import/", office.questionnaire_import, name="questionnaire_import"),
    path("questionnaires/<int:pk>/", office.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<int:pk>/export/", office.questionnaire_export, name="questionnaire_export"
    ),
    path("questionnaires/<int:pk>/copy/", office.questionnaire_copy, name="questionnaire_copy"),
    path("campaigns/new/", office.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", office.campaign, name="campaign"),
    path("campaigns/<int:pk>/targets/", office.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/invite/", office.campaign_invite, name="campaign_invite"),
    path(
        "campaigns/<int:pk>/unit-options/",
        office.campaign_unit_options,
        name="campaign_unit_options",
    ),
    path("campaigns/<int:pk>/remind/", office.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", office.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/reopen/", office.campaign_reopen, name="campaign_reopen"),
    path("campaigns/<int:pk>/responses/", collect.campaign_responses, name="campaign_responses"),
    path(
        "campaigns/<int:pk>/responses/import/",
        collect.campaign_responses_import,
        name="campaign_responses_import",
    ),
    path("campaigns/<int:pk>/paper/", collect.paper, name="paper"),
    path("campaigns/<int:pk>/results/", reports.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/units/<str:code>/", reports.campaign_unit, name="campaign_unit"),
    path("campaigns/<int:pk>/apply/", reports.campaign_apply, name="campaign_apply"),
    path("campaigns/<int:pk>/analysis/", reports.campaign_analysis, name="campaign_analysis"),
    path("sipas/", indices.sipas, name="sipas"),
    path("sipas/import/", indices.sipas_import, name="sipas_import"),
    path("papi/", indices.papi, name="papi"),
    path("papi/import/", indices.papi_import, name="papi_import"),
    path("f/done/", public.form_done, name="form_done"),
    path("f/<str:token>/", public.form, name="form"),
]
