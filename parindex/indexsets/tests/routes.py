"""Permission matrix entries for the index-set pages.

Every signed-in person with a role reads published sets; only the PAR office (admin,
par_officer) sees drafts, imports, edits, clones and publishes.
"""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, SIGNED_IN, Route
from parindex.indexsets.tests.factories import small_set

READERS = SIGNED_IN - {"outsider"}


def setup(world):
    world.published_set = small_set()
    world.draft_set = small_set(draft=True, text=_draft_text())
    world.draft_leaf = world.draft_set.criteria.get(code="1.2")


def _draft_text() -> str:
    from parindex.indexsets.tests.factories import SMALL_YAML

    return SMALL_YAML.replace("Lĩnh vực hai", "Lĩnh vực hai (dự thảo)")


def _draft(world):
    return {"pk": world.draft_set.pk}


def _node(world):
    return {"pk": world.draft_set.pk, "node": world.draft_leaf.pk}


ROUTES = [
    Route("indexsets:list", READERS),
    Route("indexsets:diff", READERS),
    Route("indexsets:detail", READERS, kwargs=lambda w: {"pk": w.published_set.pk}),
    Route(
        "indexsets:export",
        READERS,
        kwargs=lambda w: {"pk": w.published_set.pk, "file_format": "yaml"},
    ),
    Route("indexsets:upload", OFFICE),
    Route("indexsets:upload_apply", OFFICE, method="post", ok=302),
    Route(
        "indexsets:new_version",
        OFFICE,
        kwargs=lambda w: {"pk": w.published_set.pk},
        method="post",
        ok=302,
    ),
    Route("indexsets:clone", OFFICE, kwargs=lambda w: {"pk": w.published_set.pk}),
    Route("indexsets:publish", OFFICE, kwargs=_draft),
    Route("indexsets:discard", OFFICE, kwargs=_draft),
    Route("indexsets:edit", OFFICE, kwargs=_draft),
    Route("indexsets:node_add", OFFICE, kwargs=_draft),
    Route("indexsets:node_edit", OFFICE, kwargs=_node),
    Route(
        "indexsets:node_move",
        OFFICE,
        kwargs=_node,
        method="post",
        data=lambda w: {"direction": "up"},
        ok=302,
    ),
    Route("indexsets:node_delete", OFFICE, kwargs=_node),
    Route(
        "indexsets:rule_preview",
        OFFICE,
        kwargs=_draft,
        method="post",
        data=lambda w: {
            "node": w.draft_leaf.pk,
            "code": "1.2",
            "name": "Tỷ lệ hoàn thành",
            "max_points": "2",
            "source": "self",
            "not_applicable": "exclude",
            "rule_type": "percent_tiers",
            "tiers": "100%=2; 80%=1",
        },
    ),
]
