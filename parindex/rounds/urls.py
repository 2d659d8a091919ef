from __future__ import annotations

from django.urls import path

from parindex.rounds import views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/export.xlsx", views.round_export, name="export"),
    path("<int:pk>/edit/", views.round_edit, name="edit"),
    path("<int:pk>/open/", views.round_open, name="open"),
    path("<int:pk>/finalise/", views.round_finalise, name="finalise"),
    path("<int:pk>/units/", views.round_units, name="units"),
    path("<int:pk>/units/<int:unit_pk>/remove/", views.round_unit_remove, name="unit_remove"),
    path("<int:pk>/appraisers/", views.round_assignments, name="assignments"),
    path("<int:pk>/extensions/", views.round_extensions, name="extensions"),
    path("<int:pk>/unit-options/", views.round_unit_options, name="unit_options"),
]
