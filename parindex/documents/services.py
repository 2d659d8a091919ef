"""Writes for documents: the letterhead setting (audited through the core settings service)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.base_user import AbstractBaseUser

from parindex.core import services as core_services
from parindex.documents.queries import LETTERHEAD_SETTING, LetterheadSettings


def set_letterhead(
    *, by: AbstractBaseUser | None, letterhead: LetterheadSettings, reason: str = ""
) -> None:
    """Change the agency, place and signer printed on generated documents."""
    core_services.set_setting(
        key=LETTERHEAD_SETTING, value=asdict(letterhead), by=by, reason=reason
    )
