"""What every monitoring service shares: refusals, optimistic locking and telling the units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import override

from parindex.assessments import notifications
from parindex.core.refusals import Refused as BaseRefused


class Refused(BaseRefused):
    """The action is not allowed (now); `problems` says every reason, in Vietnamese."""

    default_code = "monitoring.refused"


class Conflict(Refused):
    """Someone else saved the row since it was read (optimistic locking); nothing was written."""

    default_code = "monitoring.conflict"

    def __init__(self) -> None:
        super().__init__(
            _("Someone else changed this meanwhile; reload the page to see their change.")
        )


def locked_save(row: models.Model, version: int, fields: Iterable[str]) -> None:
    """Write `fields` of `row` if it is still at `version` (then version + 1); else Conflict."""
    names = list(fields)
    values = {name: getattr(row, name) for name in names}
    if any(field.name == "updated_at" for field in row._meta.concrete_fields):
        from django.utils import timezone

        values["updated_at"] = row.updated_at = timezone.now()  # type: ignore[attr-defined]
    updated = (
        type(row)
        ._default_manager.filter(pk=row.pk, version=version)
        .update(version=F("version") + 1, **values)
    )
    if not updated:
        raise Conflict()
    row.version = version + 1  # type: ignore[attr-defined]


def site_language() -> override:
    """Build messages in the site's language (Vietnamese), whatever the acting user reads."""
    return override(settings.LANGUAGE_CODE)


def tell_units(unit_ids: Iterable[int], *, subject: Any, body: Any, url: str, key: str = "") -> int:
    """Inbox message and e-mail to the officers of some units (build the texts under
    `site_language()`); with a key, each person gets it once."""
    return notifications.notify(
        notifications.unit_people(unit_ids), subject=str(subject), body=str(body), url=url, key=key
    )
