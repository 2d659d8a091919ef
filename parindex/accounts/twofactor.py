"""Two-factor authentication: a TOTP app on the phone, and one-time recovery codes (django-otp).

A person enrols on their own page (`accounts:two_factor`): the server draws the QR code of a
new secret (also shown as text), and the person confirms with a code from the app; ten
recovery codes are then shown once, each usable once instead of a code. From then on, the
login asks for a code after the password (`accounts:login_code`): until it is given, the
person is not logged in. With `TWO_FACTOR_REQUIRED`, administrators, PAR officers and council
members cannot use the site until they have enrolled (`TwoFactorMiddleware`). An
administrator can reset another person's two-factor authentication (lost phone); the person
enrols again at the next login. Every change is audited.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from parindex.accounts import permissions
from parindex.accounts.models import Role, User
from parindex.core import audit
from parindex.core.refusals import Refused

REQUIRED_ROLES = frozenset({Role.ADMIN, Role.PAR_OFFICER, Role.COUNCIL})
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "phone"
# Session keys: the person who gave the right password and still owes a code; the secret
# being enrolled; the recovery codes waiting to be shown (once).
PENDING_KEY = "parindex_2fa_pending"
SECRET_KEY = "parindex_2fa_secret"
CODES_KEY = "parindex_2fa_codes"
PENDING_SECONDS = 300


class TwoFactorRefused(Refused):
    """A two-factor change was refused; `code` says why (`two_factor.wrong_code`,
    `two_factor.required`)."""

    default_code = "two_factor.refused"


# --- reads ---------------------------------------------------------------------------------------


def is_required(user: Any) -> bool:
    """Whether this person must use two-factor authentication (the setting and their roles)."""
    return settings.TWO_FACTOR_REQUIRED and bool(permissions.role_names(user) & REQUIRED_ROLES)


def phone_device(user: Any) -> TOTPDevice | None:
    """The person's confirmed TOTP device, if they enrolled."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_two_factor(user: Any) -> bool:
    """Whether the person enrolled (their login asks for a code)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    """How many unused recovery codes the person has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_secret() -> str:
    """A fresh TOTP secret (20 random bytes, hex, as django-otp stores it)."""
    return random_hex(20)


def secret_text(secret: str) -> str:
    """The secret as the base32 text phone apps accept, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(secret)).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def qr_svg(user: User, secret: str) -> str:
    """The enrolment QR code (an otpauth:// URI) as inline SVG, drawn on the server."""
    uri = TOTPDevice(user=user, key=secret).config_url
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def _totp_step(secret: str, code: str) -> int | None:
    """The time step at which `code` is right for `secret` (one step of clock drift allowed)."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(binascii.unhexlify(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def normalise_code(code: str) -> str:
    """A typed code without spaces and dashes, lower case (recovery codes are base32)."""
    return "".join(code.split()).replace("-", "").lower()


# --- writes --------------------------------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enable_two_factor(*, user: User, secret: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Enrol the phone whose app shows `code` for `secret`; return the device and new codes."""
    step = _totp_step(secret, normalise_code(code))
    if step is None:
        raise TwoFactorRefused(
            _("The code is not right. Type the 6 digits again."), code="two_factor.wrong_code"
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, key=secret, confirmed=True, last_t=step
    )
    codes = _new_recovery_codes(user)
    audit.record(user, "user.two_factor_enabled", by=user, new={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def renew_recovery_codes(*, user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones (the old ones stop working)."""
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes_renewed", by=user, new={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def verify_code(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (a 6-digit code, or a recovery code, used up), else None.

    django-otp throttles each device: after a wrong code the next try waits 1, 2, 4… seconds.
    """
    code = normalise_code(code)
    devices: list[Any]
    if code.isdigit():
        devices = list(
            TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        )
    else:
        devices = list(
            StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        )
    device = next((device for device in devices if device.verify_token(code)), None)
    if isinstance(device, StaticDevice):
        left = recovery_codes_left(user)
        audit.record(user, "user.recovery_code_used", by=user, new={"recovery_codes_left": left})
    elif device is None:
        audit.record(user, "auth.two_factor_failed", by=None)
    return device


@transaction.atomic
def disable_two_factor(*, user: User, to_change_phone: bool = False) -> None:
    """Turn off one's own two-factor authentication, or remove the phone to enrol another one.

    Where the role requires it, only the latter: the site then asks for the new phone.
    """
    if is_required(user) and not to_change_phone:
        raise TwoFactorRefused(
            _("Two-factor authentication is required for your role."), code="two_factor.required"
        )
    _remove_devices(user)
    action = "user.two_factor_phone_removed" if to_change_phone else "user.two_factor_disabled"
    audit.record(user, action, by=user)


@transaction.atomic
def reset_two_factor(*, by: User, user: User) -> None:
    """An administrator removes a person's phone and recovery codes (they enrol again)."""
    from parindex.accounts.services import AccountRefused

    if not permissions.can_reset_two_factor(by, user):
        raise AccountRefused(
            _("Only an administrator may reset another person's two-factor authentication.")
        )
    had = has_two_factor(user)
    _remove_devices(user)
    audit.record(
        user, "user.two_factor_reset", by=by, old={"enrolled": had}, new={"enrolled": False}
    )


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- the login's second step ----------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """Someone who gave the right password and still owes a code."""

    user: User
    backend: str
    next_url: str


def begin_pending_login(request: HttpRequest, user: User, backend: str, next_url: str) -> None:
    """Remember, for a few minutes, that `user` passed the password step in this session."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "at": int(time.time()),
    }


def pending_login(request: HttpRequest) -> PendingLogin | None:
    """The pending login of this session, unless it expired or its account was deactivated."""
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or data["backend"] not in settings.AUTHENTICATION_BACKENDS:
        return None
    return PendingLogin(user=user, backend=data["backend"], next_url=data["next"])


def end_pending_login(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def safe_next(request: HttpRequest, url: str) -> str:
    """`url` if it points into this site, else the home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


# --- enforcement ---------------------------------------------------------------------------------

# Pages a signed-in person who still owes two-factor authentication may open.
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:login_code",
        "accounts:two_factor",
        "accounts:two_factor_codes",
        "set_language",
        "core:healthz",
    }
)


class TwoFactorMiddleware:
    """Send people whose role requires two-factor authentication to enrol, or to give a code.

    Costs no query when the setting is off; otherwise the person's roles (cached per request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        # django-otp's middleware gives the user `is_verified()`; the stubs do not know it.
        if not user.is_authenticated or not is_required(user) or user.is_verified():  # type: ignore[attr-defined]
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        target = reverse("accounts:login_code" if has_two_factor(user) else "accounts:two_factor")
        if request.headers.get("HX-Request"):  # htmx follows a 302 silently: send the page over
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
