"""Rate limits on requests that cost the server or could be abused, and the audit of downloads.

Counts live in the shared cache (the database cache, or Redis with REDIS_URL), one counter per
group, key and fixed window, so every process sees the same count. `settings.RATE_LIMITS` gives
each group its (requests, seconds). Views use the decorators:

- `@limits.upload` on every view that receives a file (uploads and imports), counted per user;
- `@limits.download` on every view that sends a document (exports, evidence files, reports),
  counted per user; each document actually sent is written to the audit log;
- `rate_limited(group, key=...)` for anything else (password reset, per address and e-mail).

A refused request gets the Vietnamese 429 page with a Retry-After header.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from parindex.accounts.addresses import client_address
from parindex.core import audit

View = Callable[..., HttpResponseBase]
KeyFunction = Callable[[HttpRequest], str]


def by_user(request: HttpRequest) -> str:
    """One counter per signed-in user (per address for anonymous requests)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return by_address(request)


def by_address(request: HttpRequest) -> str:
    """One counter per client address (see `addresses.client_address`)."""
    return f"address:{client_address(request) or '-'}"


def _window(group: str) -> tuple[int, int, int]:
    """(allowed requests, window start, window length) of the group's current window."""
    allowed, seconds = settings.RATE_LIMITS[group]
    start = int(time.time()) // seconds * seconds
    return allowed, start, seconds


def _cache_key(group: str, key: str, start: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{group}:{digest}:{start}"


def hit(group: str, key: str) -> int:
    """Count one request of `key` in `group`'s current window; return the count so far."""
    _allowed, start, seconds = _window(group)
    cache_key = _cache_key(group, key, start)
    cache.add(cache_key, 0, seconds + 5)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds + 5)
        return 1


def retry_after(group: str, key: str) -> int | None:
    """Seconds until `key` may try again when its window is used up, else None (counts nothing)."""
    allowed, start, seconds = _window(group)
    if (cache.get(_cache_key(group, key, start)) or 0) < allowed:
        return None
    return max(1, start + seconds - math.floor(time.time()))


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """The Vietnamese 429 page: what happened and when to try again."""
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(
    group: str, *, key: KeyFunction = by_user, methods: Iterable[str] | None = None
) -> Callable[[View], View]:
    """Refuse a view's requests (of `methods`, all when None) past the group's rate, per key."""
    counted = frozenset(methods) if methods is not None else None

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if counted is None or request.method in counted:
                client = key(request)
                if (seconds := retry_after(group, client)) is not None:
                    return too_many_requests(request, seconds)
                hit(group, client)
            return view(request, *args, **kwargs)

        limited.rate_limit_group = group  # type: ignore[attr-defined]
        return limited

    return decorate


def upload(view: View) -> View:
    """Rate-limit a view that receives files (uploads, imports): its POSTs, per user."""
    return rate_limited("upload", methods=("POST",))(view)


def download(view: View) -> View:
    """Rate-limit a view that sends documents, per user, and audit every document it sends."""
    limited = rate_limited("download")(view)

    @wraps(view)
    def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = limited(request, *args, **kwargs)
        if response.status_code == 200 and response.has_header("Content-Disposition"):
            match = getattr(request, "resolver_match", None)
            audit.record_event(
                "document.downloaded",
                by=request.user,
                object_type="download",
                object_id=match.view_name if match else "",
                object_repr=request.get_full_path(),
                new={
                    "file": response["Content-Disposition"],
                    "address": client_address(request),
                },
            )
        return response

    audited.rate_limit_group = "download"  # type: ignore[attr-defined]
    audited.audits_downloads = True  # type: ignore[attr-defined]
    return audited
