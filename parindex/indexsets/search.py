"""The criteria the header search finds, in the index sets the user may read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.accounts import permissions
from parindex.core.registry import SearchHit
from parindex.core.vietnamese import matches
from parindex.indexsets import queries
from parindex.indexsets.models import Criterion


def criteria(user: Any, text: str, limit: int) -> list[SearchHit]:
    """Criteria whose code or name holds every word typed, newest index sets first."""
    if not permissions.has(user, "view_indexsets"):
        return []
    sets = queries.visible_sets(user)
    rows = (
        Criterion.objects.filter(index_set__in=sets)
        .order_by("-index_set__valid_from", "index_set__code", "position")
        .values_list("index_set_id", "index_set__code", "code", "name")
    )
    hits = []
    for set_id, set_code, code, name in rows.iterator():
        if matches(text, code, name) or text.strip() == code:
            url = reverse("indexsets:detail", args=[set_id])
            hits.append(SearchHit(label=f"{code}. {name}", url=url, detail=set_code))
            if len(hits) >= limit:
                break
    return hits
