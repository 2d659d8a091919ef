"""The data revision: a token in the shared cache that changes whenever recorded data changes.

Caches of derived data that any write may change (the provisional results of a round) are
keyed by it. Every audited change (`audit.record`) and every write to a round's scores
(`rounds.services.lock_round`) calls `touch()`, which replaces the token once the transaction
commits: a reader that read the old token before the commit may store what it computed under
it, but no reader sees the old token after the commit, so nothing computed from data older
than the last commit is served. The token lives in the shared cache (database or Redis,
decision 0013), so every process sees the same; if the cache loses it, a new one is drawn
and the caches keyed by it start afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache
from django.db import transaction

KEY = "parindex:data-revision"
KEEP_SECONDS = 24 * 3600  # how long a value derived from the data is kept
_MISSING = object()
T = TypeVar("T")


def current() -> str:
    """The token of the data as it is now (drawn on first use)."""
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(KEY) or ""
    return str(token)


def touch() -> None:
    """Mark the data changed: a new token when the current transaction commits (now, outside
    one). Once per atomic block, however many rows the block writes."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    block = set(connection.savepoint_ids)
    if any(func is _bump and sids == block for sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def cached(key: str, build: Callable[[], T]) -> T:
    """What `build()` gives, kept in the shared cache under `key`, built again once the entry is
    gone. The key names the data revision (`current()`) or immutable content: an entry can never
    be stale, only missing."""
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, KEEP_SECONDS)
    return cast(T, found)
