"""Permission matrix entries for results' URLs."""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, PUBLIC, SIGNED_IN, Route
from parindex.results import services
from parindex.results.tests.conftest import scored_world

ROLES = SIGNED_IN - {"outsider"}
LEADERS = OFFICE | {"council", "viewer"}
HOME = LEADERS | {"unit_editor", "unit_head"}


def setup(world):
    scored = scored_world(world.par_officer, world.home_unit, world.other_unit)
    services.set_public_page(by=world.par_officer, round_=scored.previous, is_public=True)
    world.published = scored.previous
    world.provisional = scored.current


def _published(w):
    return {"pk": w.published.pk}


def _provisional(w):
    return {"pk": w.provisional.pk}


ROUTES = [
    Route("results:index", ROLES),
    Route("results:ranking", ROLES, kwargs=_published),
    Route("results:unit", HOME, kwargs=lambda w: {"pk": w.published.pk, "code": "HOME"}),
    Route("results:headroom", HOME, kwargs=lambda w: {"pk": w.published.pk, "code": "HOME"}),
    Route("results:analysis", OFFICE, kwargs=_published),
    Route(
        "results:criterion",
        OFFICE,
        kwargs=lambda w: {"pk": w.published.pk, "type_code": "SO", "code": "1.2"},
    ),
    Route("results:survey", OFFICE, kwargs=_provisional),
    # Publishing starts a background job and opens its page (which reports a refusal).
    Route("results:publish", OFFICE, kwargs=_provisional, method="post", ok=302),
    Route("results:verify", OFFICE, kwargs=_published),
    Route(
        "results:public_page",
        OFFICE,
        kwargs=_published,
        method="post",
        data=lambda w: {"public": "1"},
        ok=302,
    ),
    Route(
        "results:download",
        ROLES,
        kwargs=lambda w: {"pk": w.published.pk, "kind": "csv"},
    ),
    # A heavy document starts a background job under the download's rule, then opens its page.
    Route(
        "results:document_job",
        ROLES,
        kwargs=lambda w: {"pk": w.published.pk, "kind": "xlsx"},
        method="post",
        ok=302,
    ),
    Route("results:public", PUBLIC, kwargs=_published),
]
