"""The evidence documents the header search finds, in the libraries the user may read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from parindex.accounts import permissions
from parindex.assessments.models import Evidence
from parindex.core.formatting import format_date
from parindex.core.registry import SearchHit, SearchHits
from parindex.core.vietnamese_sql import words_in


def documents(user: Any, text: str) -> SearchHits:
    """Documents by title, number or issuer: the user's units' libraries (the office and the
    council read every library, as on the library pages; appraisers search none)."""
    library = Evidence.objects.all()
    if not (permissions.is_office(user) or permissions.is_council(user)):
        library = library.filter(unit_id__in=permissions.unit_ids(user))
    library = library.filter(words_in(text, "title", "number", "issuer"))
    return SearchHits(library.select_related("unit").order_by("-created_at", "-id"), _hit)


def _hit(evidence: Evidence) -> SearchHit:
    url = reverse("assessments:library", args=[evidence.unit_id])
    when = format_date(evidence.issued_on) if evidence.issued_on else ""
    detail = " · ".join(part for part in (evidence.number, when, str(evidence.unit)) if part)
    query = urlencode({"search": evidence.title})
    return SearchHit(label=evidence.title, url=f"{url}?{query}", detail=detail)
