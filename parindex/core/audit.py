"""The one audit primitive: every service records its changes through `record`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from parindex.core.models import AuditEntry


def _jsonable(value: Any) -> Any:
    """Turn Decimals, dates and model instances into JSON-friendly values, recursively."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def record(
    obj: models.Model,
    action: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Record that `by` did `action` to `obj`, with the old and new values and a reason."""
    actor = by if getattr(by, "is_authenticated", False) else None
    # The actor is the AUTH_USER_MODEL (accounts.User), a type core does not import (layers).
    return AuditEntry.objects.create(  # type: ignore[misc]
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        old=_jsonable(old),
        new=_jsonable(new),
        reason=reason,
    )


def changes(instance: models.Model, fields: list[str], values: dict[str, Any]) -> tuple[dict, dict]:
    """Return (old, new) dicts for the fields whose value differs from `values`."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for field in fields:
        if field in values and getattr(instance, field) != values[field]:
            old[field] = getattr(instance, field)
            new[field] = values[field]
    return old, new
