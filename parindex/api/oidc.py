"""Single sign-on with the province's identity platform (OpenID Connect, mozilla-django-oidc).

On only when OIDC_RP_CLIENT_ID is set (see README, "Single sign-on"); otherwise the two URLs
answer 404 and the login page shows no button. A person who signs in on the platform is matched
to an existing, active account by e-mail or by username (OIDC_MATCH); nobody is created, since
roles are given by the office. API tokens' accounts are never matched. Local login is kept.
Every sign-on, accepted or refused, is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views

from parindex.core import audit


class Backend(oidc_auth.OIDCAuthenticationBackend):
    """Match the platform's person to an account; never create one."""

    def _match(self) -> str:
        return "username" if settings.OIDC_MATCH == "username" else "email"

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        key = "preferred_username" if self._match() == "username" else "email"
        return bool(claims.get(key))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        users = self.UserModel.objects.filter(is_active=True, api_token__isnull=True)
        if self._match() == "username":
            return users.filter(username__iexact=claims.get("preferred_username", ""))
        return users.filter(email__iexact=claims.get("email", ""))

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The library checks the signature, expiry and nonce; the token must also be meant
        for us (its audience names our client id)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The id_token is meant for another client.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The id_token's claims, completed by the user-info endpoint when there is one."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        who = payload.get("preferred_username") or payload.get("email") or payload.get("sub", "")
        if user is None:
            audit.record_event(
                "auth.sso_refused",
                by=None,
                object_type="auth",
                object_id="sso",
                object_repr=str(who),
                reason="no matching active account",
            )
        else:
            audit.record(user, "auth.sso_login", by=user, new={"subject": payload.get("sub")})
        return user


def login(request: HttpRequest) -> HttpResponse:
    """Send the person to the identity platform (404 when single sign-on is off)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return oidc_views.OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    """Where the platform sends the person back with a code (404 when single sign-on is off)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return oidc_views.OIDCAuthenticationCallbackView.as_view()(request)
