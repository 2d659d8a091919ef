"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

A small middleware rather than django-csp: the policy is one fixed string (no nonces, since no
page carries inline script or style), and Permissions-Policy, which django-csp does not send,
comes from the same place. A view that needs another policy sets the header itself (the
evidence file view sends `sandbox`); the middleware never overwrites it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def policy(directives: dict[str, str]) -> str:
    """A header value from {directive: sources}: `default-src 'self'; object-src 'none'`."""
    return "; ".join(f"{name} {sources}".strip() for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Add settings.CONTENT_SECURITY_POLICY and settings.PERMISSIONS_POLICY where not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = policy(settings.CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(
            f"{feature}=({allowlist})" for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
