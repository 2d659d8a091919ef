"""Single sign-on URLs, under the names mozilla-django-oidc reverses (no namespace)."""

from __future__ import annotations

from django.urls import path

from parindex.api import oidc

urlpatterns = [
    path("authenticate/", oidc.login, name="oidc_authentication_init"),
    path("callback/", oidc.callback, name="oidc_authentication_callback"),
]
