"""Request typing and small response helpers shared by every app's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from parindex.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is logged in (views behind @login_required)."""

    user: User
    htmx: HtmxDetails
