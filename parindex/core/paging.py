"""Pagination that keeps the other query parameters (filters and sorting stay in the URL)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    """Return `page_obj` for the requested page and `query_without_page` for the page links."""
    page_obj = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page_obj, "query_without_page": f"{encoded}&" if encoded else ""}
