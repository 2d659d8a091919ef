"""The criteria the header search finds, in the index sets the user may read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.accounts import permissions
from parindex.core.registry import SearchHit, SearchHits
from parindex.core.vietnamese import matcher
from parindex.indexsets import queries
from parindex.indexsets.models import Criterion


def criteria(user: Any, text: str) -> SearchHits:
    """Criteria whose code or name holds every word typed, newest index sets first."""
    if not permissions.has(user, "view_indexsets"):
        return SearchHits([], _hit)
    sets = queries.visible_sets(user)
    rows = (
        Criterion.objects.filter(index_set__in=sets)
        .order_by("-index_set__valid_from", "index_set__code", "position")
        .values_list("index_set_id", "index_set__code", "code", "name")
    )
    code, wanted = text.strip(), matcher(text)
    found = [row for row in rows.iterator() if wanted(row[2], row[3]) or code == row[2]]
    return SearchHits(found, _hit)


def _hit(row: tuple[int, str, str, str]) -> SearchHit:
    set_id, set_code, code, name = row
    url = reverse("indexsets:detail", args=[set_id])
    return SearchHit(label=f"{code}. {name}", url=url, detail=set_code)
