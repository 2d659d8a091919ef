from __future__ import annotations

from django.urls import path

from parindex.indexsets import views

app_name = "indexsets"

urlpatterns = [
    path("", views.index_set_list, name="list"),
    path("upload/", views.index_set_upload, name="upload"),
    path("upload/apply/", views.index_set_upload_apply, name="upload_apply"),
    path("diff/", views.index_set_diff, name="diff"),
    path("<int:pk>/", views.index_set_detail, name="detail"),
    path("<int:pk>/export/<str:file_format>/", views.index_set_export, name="export"),
    path("<int:pk>/new-version/", views.index_set_new_version, name="new_version"),
    path("<int:pk>/publish/", views.index_set_publish, name="publish"),
    path("<int:pk>/discard/", views.index_set_discard, name="discard"),
    path("<int:pk>/clone/", views.index_set_clone, name="clone"),
    path("<int:pk>/edit/", views.index_set_edit, name="edit"),
    path("<int:pk>/nodes/add/", views.node_add, name="node_add"),
    path("<int:pk>/nodes/<int:node>/", views.node_edit, name="node_edit"),
    path("<int:pk>/nodes/<int:node>/move/", views.node_move, name="node_move"),
    path("<int:pk>/nodes/<int:node>/delete/", views.node_delete, name="node_delete"),
    path("<int:pk>/rule-preview/", views.rule_preview, name="rule_preview"),
]
