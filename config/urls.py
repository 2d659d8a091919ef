"""URL map: one namespace per app."""

from __future__ import annotations

from django.urls import include, path

from parindex.api.v1 import api

urlpatterns = [
    path("", include("parindex.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("parindex.accounts.urls")),
    path("units/", include("parindex.units.urls")),
    path("indexsets/", include("parindex.indexsets.urls")),
    path("rounds/", include("parindex.rounds.urls")),
    path("assessments/", include("parindex.assessments.urls")),
    path("monitoring/", include("parindex.monitoring.urls")),
    path("surveys/", include("parindex.surveys.urls")),
    path("results/", include("parindex.results.urls")),
    path("national/", include("parindex.national.urls")),
    path("oidc/", include("parindex.api.oidc_urls")),
    path("api/", include("parindex.api.urls")),
    path("api/", api.urls),
]

handler403 = "parindex.core.views.permission_denied"
handler404 = "parindex.core.views.page_not_found"
handler500 = "parindex.core.views.server_error"
