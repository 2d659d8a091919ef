"""The units the header search finds (every signed-in role may read the registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.accounts import permissions
from parindex.core.registry import SearchHit
from parindex.core.vietnamese import matches, sort_key
from parindex.units.models import Unit


def units(user: Any, text: str, limit: int) -> list[SearchHit]:
    """Units whose code or name holds every word typed (marks ignored), in Vietnamese order."""
    if not permissions.can_view_units(user):
        return []
    rows = Unit.objects.values_list("pk", "code", "name", "unit_type__name")
    found = [row for row in rows if matches(text, row[1], row[2])]
    found.sort(key=lambda row: sort_key(row[2]))
    prefix = reverse("units:detail", args=[0])[: -len("0/")]
    return [
        SearchHit(label=name, url=f"{prefix}{pk}/", detail=f"{code} · {type_name}")
        for pk, code, name, type_name in found[:limit]
    ]
