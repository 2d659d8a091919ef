from __future__ import annotations

from django.urls import path

from parindex.api import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/unit-options/", views.unit_options, name="unit_options"),
    path("tokens/<int:pk>/", views.token_detail, name="token"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/", views.webhook, name="webhook"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="delivery_replay"),
]
