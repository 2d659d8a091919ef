"""Audit every API call under the token's name (after the answer is known)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from parindex.accounts.addresses import client_address


class AuditApiCalls:
    """Write one `api.call` audit entry for each request a token authenticated."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            from parindex.api import services

            services.record_call(
                token,
                method=request.method or "",
                path=request.get_full_path(),
                status=response.status_code,
                address=client_address(request) or "",
            )
        return response
