"""Evidence libraries and an item's history."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from parindex.assessments.models import (
    Evidence,
    ExplanationRequest,
    Item,
    ItemEvidence,
)
from parindex.core import history
from parindex.core.vietnamese_sql import words_in


def evidence_library(unit_id: int, *, search: str = "") -> QuerySet[Evidence]:
    """A unit's evidence library, newest first, with how many items each document supports."""
    from django.db.models import Count

    library = Evidence.objects.filter(unit_id=unit_id).annotate(uses=Count("links"))
    if search:
        library = library.filter(words_in(search, "title", "number", "issuer"))
    return library.select_related("added_by").order_by("-created_at", "-id")


def evidence_for_picker(unit_id: int) -> list[Evidence]:
    """The unit's documents offered when attaching evidence to an item."""
    return list(Evidence.objects.filter(unit_id=unit_id).order_by("-created_at", "-id")[:500])


def item_history(item: Item) -> dict[str, Any]:
    """Everything that happened to an item: self value, appraisals, explanation, final, audit."""
    from parindex.core.models import AuditEntry

    appraisals = {
        appraisal.stage: appraisal
        for appraisal in item.appraisals.select_related("by").order_by("stage")
    }
    request = (
        ExplanationRequest.objects.filter(item=item)
        .select_related("asked_by", "answered_by")
        .prefetch_related(
            Prefetch("evidence_links", queryset=ItemEvidence.objects.select_related("evidence"))
        )
        .first()
    )
    entries = AuditEntry.objects.filter(
        object_type="assessments.item", object_id=str(item.pk)
    ).select_related("actor")
    return {
        "first": appraisals.get(1),
        "second": appraisals.get(2),
        "request": request,
        "entries": history.describe(entries[:100]),
    }
