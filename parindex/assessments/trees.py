"""The engine's view of an index set stored as rows.

TODO(indexsets): replace `engine_index_set` by `parindex.indexsets.queries.engine_index_set`
once the indexsets branch is merged; until then this small conversion feeds the stored rows to
the engine's own spec parser, so the engine still validates everything.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.indexsets.models import IndexSet


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def engine_index_set(index_set: IndexSet) -> engine.IndexSet:
    """The engine's IndexSet for stored rows (two queries: criteria and bands)."""
    rows = list(index_set.criteria.order_by("parent_id", "position"))
    children: dict[int | None, list[Any]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def node(row: Any) -> dict[str, Any]:
        spec: dict[str, Any] = {"code": row.code, "name": row.name, "kind": row.kind}
        spec["max_points"] = _number(row.max_points)
        kids = children.get(row.id, [])
        if kids:
            spec["children"] = [node(kid) for kid in kids]
        else:
            spec["source"] = row.source
            spec["not_applicable"] = row.not_applicable
            if row.rule:
                spec["rule"] = row.rule
        for key in ("owner", "evidence", "guidance"):
            if getattr(row, key):
                spec[key] = getattr(row, key)
        return spec

    spec = {
        "code": index_set.code,
        "name": index_set.name,
        "unit_type": index_set.unit_type.code,
        "valid_from": index_set.valid_from,
        "bands": [
            {"code": band.code, "name": band.name, "min_percent": _number(band.min_percent)}
            for band in index_set.bands.all()
        ],
        "criteria": [node(row) for row in children.get(None, [])],
    }
    if index_set.legal_basis:
        spec["legal_basis"] = index_set.legal_basis
    return engine.parse_index_set(spec)
