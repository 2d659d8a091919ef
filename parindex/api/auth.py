"""Who calls the API: a bearer token, checked, rate-limited and audited on every call.

`Authorization: Bearer pix_…` is looked up by its prefix and compared by SHA-256 in constant
time. A revoked or expired token is refused like an unknown one (401). Each token has its own
counter in the shared cache (`RATE_LIMITS["api"]`, per token); past it the call gets 429 with
Retry-After. Every call that reaches an endpoint, allowed or not, is written to the audit log
under the token's name (`services.record_call`).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from parindex.accounts import limits
from parindex.api import services
from parindex.api.models import Token
from parindex.api.scopes import Scope


class RateLimited(Exception):
    """The token used up its calls for the current window."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def find_token(secret: str) -> Token | None:
    """The usable token with this secret, else None (unknown, revoked or expired)."""
    parts = services.split_secret(secret)
    if parts is None:
        return None
    prefix, whole = parts
    token = Token.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_sha256, services.key_digest(whole)):
        return None
    return token if token.is_usable_at() else None


class TokenAuth(HttpBearer):
    """Bearer-token authentication for the API (no cookies, so no CSRF)."""

    openapi_description = (
        "Khóa API do Văn phòng CCHC cấp (Authorization: Bearer pix_…). "
        "An API token issued by the PAR office (Authorization: Bearer pix_…)."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Token | None:
        found = find_token(token)
        if found is None:
            return None
        key = f"token:{found.pk}"
        if (seconds := limits.retry_after("api", key)) is not None:
            request.api_token = found  # type: ignore[attr-defined]
            raise RateLimited(seconds)
        limits.hit("api", key)
        services.touch_token(found)
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user
        return found


def require(request: HttpRequest, scope: Scope) -> Token:
    """The calling token, if it holds `scope`; 403 otherwise."""
    token: Token = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise HttpError(
            403, f"Khóa API không có quyền {scope.value} / the token lacks {scope.value}"
        )
    return token


def require_unit(request: HttpRequest, scope: Scope, unit: Any) -> Token:
    """The calling token, if it holds `scope` and may write for `unit`; 403 otherwise."""
    token = require(request, scope)
    allowed = set(token.units.values_list("pk", flat=True))
    if allowed and unit.pk not in allowed:
        raise HttpError(
            403,
            f"Khóa API không được ghi cho đơn vị {unit.code} / "
            f"the token may not write for unit {unit.code}",
        )
    return token
