"""Protection against password guessing, on django-axes, with every attempt in the audit log.

Two rules, both counted in the database (shared by every process) over `LOGIN_THROTTLE_WINDOW`:

- a (username, client address) pair that failed `LOGIN_THROTTLE_LIMIT` times is locked out
  until the window has passed since its last failure. Someone guessing elsewhere cannot lock a
  person out of their own address, and behind a reverse proxy the client address is read
  through `TRUSTED_PROXIES` (`addresses.client_address`), so one person's failures do not lock
  out everyone behind the proxy;
- once a username has failed `LOGIN_DELAY_AFTER` times from any addresses, each further attempt
  for it must wait `LOGIN_DELAY_SECONDS` after the last failure, doubled for each failure
  beyond that, at most the window: guessing spread over many addresses slows to a crawl, and
  the person waits minutes, never hours.

A refused attempt is answered without checking the password and is not counted (so it does not
extend the wait); the login form says when to try again. Successful logins, failures,
refusals and lockouts are written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from parindex.accounts.addresses import client_address
from parindex.core import audit


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """How long failures are remembered and a locked pair waits (axes' AXES_COOLOFF_TIME)."""
    return _window()


def failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    """Failures of one (username, address) pair that lock it out (axes' AXES_FAILURE_LIMIT)."""
    return settings.LOGIN_THROTTLE_LIMIT


def _failures(now: dt.datetime, **filters: Any) -> tuple[int, dt.datetime | None]:
    """(failures, time of the last one) within the window, for the attempts matching `filters`."""
    totals = AccessAttempt.objects.filter(attempt_time__gte=now - _window(), **filters).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return totals["failures"] or 0, totals["last"]


def delay_seconds(failures: int) -> int:
    """How long a username waits after its last failure, given its failures from all addresses."""
    beyond = failures - settings.LOGIN_DELAY_AFTER
    if beyond < 0:
        return 0
    cap = settings.LOGIN_THROTTLE_WINDOW
    # 2**beyond grows without bound; compare in the exponent's range before multiplying.
    if beyond >= cap.bit_length():
        return cap
    return min(settings.LOGIN_DELAY_SECONDS * 2**beyond, cap)


def username_waits_until(username: str, now: dt.datetime) -> dt.datetime | None:
    """When the username may try again after failures from all addresses (None: it may now)."""
    failures, last = _failures(now, username=username)
    wait = delay_seconds(failures)
    if not wait or last is None:
        return None
    until = last + dt.timedelta(seconds=wait)
    return until if until > now else None


def pair_locked_until(username: str, address: str | None, now: dt.datetime) -> dt.datetime | None:
    """When the (username, address) pair's lockout ends (None: it is not locked out)."""
    failures, last = _failures(now, username=username, ip_address=address)
    if failures < settings.LOGIN_THROTTLE_LIMIT or last is None:
        return None
    return last + _window()


def locked_until(request: HttpRequest, username: str) -> dt.datetime | None:
    """When a login for `username` from this request's address will be accepted again."""
    now = timezone.now()
    times = [
        pair_locked_until(username, client_address(request), now),
        username_waits_until(username, now),
    ]
    return max((time for time in times if time is not None), default=None)


def _audit(request: HttpRequest, action: str, username: str | None, user: Any = None) -> None:
    from parindex.accounts.models import User

    if user is None and username:
        user = User.objects.filter(username=username).first()
    audit.record_event(
        action,
        by=user if action == "auth.login" else None,
        object_type=User._meta.label_lower,
        object_id=str(user.pk) if user else "",
        object_repr=str(username or ""),
        new={
            "address": client_address(request),
            **({"two_factor": bool(getattr(user, "otp_device", None))} if user else {}),
        },
    )


class LoginAttempts(AxesDatabaseHandler):
    """django-axes' database handler, with the per-username delay and the audit of attempts."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        return bool(username) and username_waits_until(username, timezone.now()) is not None

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        # The backend marks the request before the password is checked when it refuses it.
        refused = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        _audit(request, "auth.login_refused" if refused else "auth.login_failed", username)
        if not refused and getattr(request, "axes_locked_out", False):
            _audit(request, "auth.locked_out", username)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        _audit(request, "auth.login", user.get_username(), user)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """Axes' answer to a refused login: the login page (which says why and until when), as 429."""
    if isinstance(original_response, HttpResponseBase):
        original_response.status_code = 429
        return original_response  # type: ignore[return-value]
    from parindex.accounts.limits import too_many_requests

    username = get_client_username(request, credentials) or ""
    until = locked_until(request, username)
    seconds = int((until - timezone.now()).total_seconds()) if until else 60
    return too_many_requests(request, max(1, seconds))
