"""Results: rankings, units, analysis, headroom, survey points, publication, documents."""

from __future__ import annotations

from django.urls import path

from parindex.results import views

app_name = "results"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.ranking, name="ranking"),
    path("<int:pk>/units/<str:code>/", views.unit, name="unit"),
    path("<int:pk>/units/<str:code>/headroom/", views.headroom, name="headroom"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("<int:pk>/analysis/<str:type_code>/<str:code>/", views.criterion, name="criterion"),
    path("<int:pk>/survey/", views.survey, name="survey"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/public-page/", views.public_page, name="public_page"),
    path("<int:pk>/download/<str:kind>/", views.download, name="download"),
    path("<int:pk>/document/<str:kind>/", views.document_job, name="document_job"),
    path("public/<int:pk>/", views.public, name="public"),
]
