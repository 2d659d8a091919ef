"""What every page's shell needs: the navigation for the user's roles and the demo flag."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parindex.core import queries


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation items, role labels and the demo banner flag, computed lazily per request."""
    return {"shell": queries.Shell(request)}
