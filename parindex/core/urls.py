from __future__ import annotations

from django.urls import path

from parindex.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit, name="audit"),
    path("search/", views.search, name="search"),
    path("help/", views.user_guide, name="guide"),
]
