"""Refuse requests that hold a NUL character in their path, query or form fields.

No browser form sends one, and no text the application keeps may hold one: PostgreSQL refuses
it in a query or a text column (a list filtered by `?unit=A%00` answered 500 there), and SQLite
would keep it. Rather than each view checking what it reads from `request.GET` and
`request.POST`, the request is refused before any view, with a 400 that changes nothing.

Form fields are checked in URL-encoded bodies, which Django reads whole and keeps (`body`
stays readable). A multipart body is left to the view: reading it here would consume the
stream that the API's JSON endpoints read. Upload forms' text fields are Django form fields,
which refuse a NUL themselves. An API client (a bearer token) gets the API's `{"detail": …}`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

URLENCODED = "application/x-www-form-urlencoded"
MESSAGE = _(
    "The request holds a character that no form sends (a NUL character). Nothing was changed: "
    "go back and type the text again."
)


def _holds_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class RefuseNulCharacters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form = request.method == "POST" and request.content_type == URLENCODED
        if "\x00" in request.path or _holds_nul(request.GET) or (form and _holds_nul(request.POST)):
            if request.headers.get("Authorization", "").startswith("Bearer "):  # an API client
                return JsonResponse({"detail": str(MESSAGE)}, status=400)
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
