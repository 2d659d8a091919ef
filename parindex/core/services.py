"""Writes for site-wide settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from parindex.core import audit
from parindex.core.models import Setting


@transaction.atomic
def set_setting(*, key: str, value: Any, by: AbstractBaseUser | None, reason: str = "") -> Setting:
    """Set a site-wide setting and record the change."""
    setting, created = Setting.objects.get_or_create(key=key, defaults={"value": value})
    old = None if created else setting.value
    if not created and setting.value != value:
        setting.value = value
        setting.save(update_fields=["value"])
    if created or old != value:
        audit.record(setting, "setting.changed", by=by, old=old, new=value, reason=reason)
    return setting
