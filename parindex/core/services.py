"""Writes for site-wide settings (the documents' letterhead among them)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from parindex.core import audit
from parindex.core.models import Setting
from parindex.core.queries import LETTERHEAD_SETTING, LetterheadSettings


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


def set_letterhead(
    *, by: AbstractBaseUser | None, letterhead: LetterheadSettings, reason: str = ""
) -> None:
    """Change the agency, place and signer printed on generated documents."""
    set_setting(key=LETTERHEAD_SETTING, value=asdict(letterhead), by=by, reason=reason)
