"""Request typing shared by every app's views (here, with the user model it names)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from parindex.accounts.models import User


class HtmxRequest(HttpRequest):
    """An HttpRequest that went through django-htmx's middleware (public pages too)."""

    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """An HttpRequest whose user is logged in (views behind @login_required)."""

    user: User
