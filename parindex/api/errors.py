"""The API's one way to look a row up by what the caller named: found, or an error whose
message says in Vietnamese and English what was not found (`{"detail": "Không có … / no …"}`).
Read and write endpoints alike use it, so every "not found" reads the same."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja.errors import HttpError

M = TypeVar("M", bound=Model)


def get_or_404(
    rows: type[M] | QuerySet[M], vietnamese: str, english: str, *, status: int = 404, **lookup: Any
) -> M:
    """The first of `rows` matching `lookup` (in the queryset's order), else `status` (404, or
    422 for a row named inside a body) with "Không có <vietnamese> / no <english>"."""
    queryset = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    found = queryset.filter(**lookup).first()
    if found is None:
        raise HttpError(status, f"Không có {vietnamese} / no {english}")
    return found
