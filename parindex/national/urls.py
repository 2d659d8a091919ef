from __future__ import annotations

from django.urls import path

from parindex.national import views

app_name = "national"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.table_import, name="import"),
    path("import/confirm/", views.table_import_confirm, name="import_confirm"),
    path("<int:year>/", views.year_table, name="year"),
    path("<int:year>/areas/", views.year_areas, name="year_areas"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/docx/", views.analysis_docx, name="analysis_docx"),
    path("analysis/xlsx/", views.analysis_xlsx, name="analysis_xlsx"),
    path("analysis/remediation/", views.remediation, name="remediation"),
    path("survey/", views.survey, name="survey"),
    path("provinces/", views.provinces, name="provinces"),
    path("provinces/aliases/add/", views.alias_add, name="alias_add"),
    path("provinces/aliases/<int:pk>/delete/", views.alias_delete, name="alias_delete"),
    path("settings/", views.national_settings, name="settings"),
    path("appraised/import/", views.appraised_import, name="appraised_import"),
]
