"""Permission matrix entries for core's URLs (and Django's language switch)."""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, PUBLIC, SIGNED_IN, Route

ROUTES = [
    Route("core:home", SIGNED_IN),
    Route("core:healthz", PUBLIC),
    Route("core:audit", OFFICE),
    Route("core:search", SIGNED_IN, data=lambda w: {"q": "Sở"}),
    Route("core:guide", SIGNED_IN),
    Route(
        "set_language",
        PUBLIC,
        method="post",
        data=lambda w: {"language": "vi", "next": "/"},
        ok=302,
    ),
]
