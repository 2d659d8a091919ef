"""The units the header search finds (every signed-in role may read the registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.accounts import permissions
from parindex.core.registry import SearchHit, SearchHits
from parindex.core.vietnamese import matcher, sort_key
from parindex.units.models import Unit


def units(user: Any, text: str) -> SearchHits:
    """Units whose code or name holds every word typed (marks ignored), in Vietnamese order."""
    if not permissions.can_view_units(user):
        return SearchHits([], _hit)
    rows = Unit.objects.values_list("pk", "code", "name", "unit_type__name")
    wanted = matcher(text)
    found = [row for row in rows if wanted(row[1], row[2])]
    found.sort(key=lambda row: sort_key(row[2]))
    return SearchHits(found, _hit)


def _hit(row: tuple[int, str, str, str]) -> SearchHit:
    pk, code, name, type_name = row
    url = reverse("units:detail", args=[pk])
    return SearchHit(label=name, url=url, detail=f"{code} · {type_name}")
