"""Surveys: questionnaires, campaigns, collection (public form, paper entry), results, analysis."""

from __future__ import annotations

from django.urls import path

from parindex.surveys.views import public

app_name = "surveys"

urlpatterns = [
    path("f/done/", public.form_done, name="form_done"),
    path("f/<str:token>/", public.form, name="form"),
]
