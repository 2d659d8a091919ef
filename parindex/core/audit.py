"""The one audit primitive: every service records its changes through `record`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from parindex.core import revisions
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
    """Record that `by` did `action` to `obj`, with the old and new values and a reason
    (and mark the data changed: see `parindex.core.revisions`)."""
    revisions.touch()
    return record_event(
        action,
        by=by,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj),
        old=old,
        new=new,
        reason=reason,
    )


def record_event(
    action: str,
    *,
    by: Any,
    object_type: str,
    object_id: str,
    object_repr: str,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Record an event that concerns no row, or a row that may not exist (a failed login for an
    unknown name, a document downloaded): the object is named by type, id and text."""
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type[:100],
        object_id=object_id[:64],
        object_repr=object_repr[:300],
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
