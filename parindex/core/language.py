"""The interface speaks Vietnamese unless the user chose another language (issue 14).

Django's LocaleMiddleware would follow the browser's Accept-Language, so a civil servant with an
English browser got English pages. This middleware, placed before it, drops that header: the
language is the one chosen in the header's VI/EN menu (Django's language cookie, kept for a
year by LANGUAGE_COOKIE_AGE), else LANGUAGE_CODE (Vietnamese).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IgnoreBrowserLanguage:
    """Forget the browser's Accept-Language before LocaleMiddleware reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
