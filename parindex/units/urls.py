from __future__ import annotations

from django.urls import path

from parindex.units import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("tree/", views.unit_tree, name="tree"),
    path("tree/<int:pk>/", views.unit_tree_children, name="tree_children"),
    path("export/", views.unit_export, name="export"),
    path("import/", views.unit_import, name="import"),
    path("new/", views.unit_create, name="create"),
    path("options/", views.unit_options, name="unit_options"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/lineage/", views.unit_lineage, name="lineage"),
    path("<int:pk>/accounts/new/", views.unit_account_new, name="account_new"),
    path("<int:pk>/accounts/grant/", views.unit_account_grant, name="account_grant"),
    path(
        "<int:pk>/accounts/<int:user_id>/<str:role>/revoke/",
        views.unit_account_revoke,
        name="account_revoke",
    ),
    path("reorganisations/", views.reorganisation_list, name="reorganisation_list"),
    path("reorganise/<str:kind>/", views.reorganise, name="reorganise"),
    path("types/", views.unit_type_list, name="type_list"),
    path("types/new/", views.unit_type_create, name="type_create"),
    path("types/<int:pk>/", views.unit_type_edit, name="type_edit"),
    path("peer-groups/", views.peer_group_list, name="peer_group_list"),
    path("peer-groups/new/", views.peer_group_create, name="peer_group_create"),
    path("peer-groups/<int:pk>/", views.peer_group_edit, name="peer_group_edit"),
]
