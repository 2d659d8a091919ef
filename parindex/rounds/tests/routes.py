"""Permission matrix entries for rounds' URLs: the office manages, the council finalises."""

from __future__ import annotations

from parindex.assessments.tests.fixtures import build_world
from parindex.core.tests.matrix import OFFICE, Route

LISTERS = OFFICE | {"council", "appraiser", "viewer"}


def setup(world):
    build_world(world)


def round_(w):
    return {"pk": w.round.pk}


ROUTES = [
    Route("rounds:list", LISTERS),
    Route("rounds:create", OFFICE),
    Route("rounds:detail", OFFICE, kwargs=round_),
    Route("rounds:export", OFFICE, kwargs=round_),
    Route("rounds:edit", OFFICE, kwargs=round_),
    Route("rounds:open", OFFICE, kwargs=round_, method="post", ok=302),
    Route("rounds:finalise", frozenset({"admin", "council"}), kwargs=round_, method="post", ok=302),
    Route("rounds:units", OFFICE, kwargs=round_),
    Route(
        "rounds:unit_remove",
        OFFICE,
        kwargs=lambda w: {"pk": w.round.pk, "unit_pk": w.other_unit.pk},
        method="post",
        ok=302,
    ),
    Route("rounds:assignments", OFFICE, kwargs=round_),
    Route("rounds:extensions", OFFICE, kwargs=round_),
    Route("rounds:unit_options", OFFICE, kwargs=round_),
]
