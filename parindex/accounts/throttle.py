"""Login rate limiting against password guessing, shared by all processes through the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{digest}", f"login-fail:addr:{address}"]


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether too many failed logins came for this username or from this address lately."""
    counts = cache.get_many(_keys(request, username)).values()
    return any(count >= settings.LOGIN_THROTTLE_LIMIT for count in counts)


def record_failure(request: HttpRequest, username: str) -> None:
    """Count one failed login for the username and for the address."""
    for key in _keys(request, username):
        cache.add(key, 0, settings.LOGIN_THROTTLE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW)


def clear(request: HttpRequest, username: str) -> None:
    """Forget the failures of a username after it logged in."""
    cache.delete(_keys(request, username)[0])
