"""The permission matrix's vocabulary: every URL pattern of the project has a `Route` entry.

Each app lists its routes in `parindex/<app>/tests/routes.py` as `ROUTES = [Route(...)]`, and may
define `setup(world)` to create the objects its URLs point at. `test_permission_matrix` walks every
URL pattern, fails when one has no entry, and requests each route as every persona.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = frozenset(
    {
        "anonymous",
        "admin",
        "par_officer",
        "appraiser",
        "council",
        "unit_editor",
        "unit_head",
        "viewer",
        "outsider",
    }
)
SIGNED_IN = PUBLIC - {"anonymous"}
OFFICE = frozenset({"admin", "par_officer"})


@dataclass(frozen=True)
class Route:
    """How one URL pattern answers each persona.

    `allowed` personas get `ok`; other signed-in personas get `denied` (403 by default, 404 where
    the object's existence must not leak); anonymous users are sent to the login page (302).
    `statuses` overrides the expectation for single personas.
    """

    name: str
    allowed: frozenset[str]
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] | None = None
    ok: int = 200
    denied: int = 403
    statuses: dict[str, int] = field(default_factory=dict)

    def expected(self, persona: str) -> int:
        if persona in self.statuses:
            return self.statuses[persona]
        if persona in self.allowed:
            return self.ok
        return 302 if persona == "anonymous" else self.denied


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every URL pattern's full name (`namespace:name`) in the project."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(
                f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"
            )
    return names
