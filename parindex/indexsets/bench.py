"""Benchmarks of index sets: the tree page of a 150-leaf set and the engine's copy of a set."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms

AREAS, CRITERIA, SUBCRITERIA = 6, 5, 5  # 6 × 5 × 5 = 150 leaves


def generated_spec(code: str = "BENCH-2027") -> dict[str, Any]:
    """A 150-leaf set with every rule type, survey leaves, N/A exclusions and a bonus."""
    options = [{"label": "Đạt", "points": 1}, {"label": "Không", "points": 0}]
    tiers = [{"min_percent": 100, "points": 1}, {"min_percent": 80, "points": 0.5}]
    rules = [
        {"type": "choice", "options": options},
        {"type": "percent_tiers", "tiers": tiers},
        {"type": "deduction", "per_item": 0.25},
        {"type": "proportional"},
        {"type": "range", "step": 0.25},
    ]
    areas = []
    for a in range(1, AREAS + 1):
        criteria = []
        for c in range(1, CRITERIA + 1):
            leaves = []
            for s in range(1, SUBCRITERIA + 1):
                leaf: dict[str, Any] = {
                    "code": f"{a}.{c}.{s}",
                    "name": f"Tiêu chí thành phần {a}.{c}.{s} về cải cách hành chính",
                    "max_points": 1,
                    "rule": rules[s - 1],
                    "evidence": "Văn bản, báo cáo kèm theo",
                }
                if s == 4:
                    leaf["source"] = "survey"
                if c == 5:
                    leaf["not_applicable"] = "exclude"
                leaves.append(leaf)
            criteria.append({"code": f"{a}.{c}", "name": f"Tiêu chí {a}.{c}", "children": leaves})
        areas.append(
            {"code": str(a), "name": f"Lĩnh vực {a}", "owner": "SNV", "children": criteria}
        )
    areas.append(
        {"code": "B", "name": "Điểm thưởng", "kind": "bonus", "max_points": 2, "rule": rules[4]}
    )
    return {
        "code": code,
        "name": "Bộ chỉ số đo hiệu năng",
        "unit_type": "SO",
        "valid_from": 2027,
        "bands": [
            {"code": "A", "name": "Đạt", "min_percent": 50},
            {"code": "B", "name": "Chưa", "min_percent": 0},
        ],
        "criteria": areas,
    }


def run() -> Iterator[Figure]:
    from parindex import engine
    from parindex.accounts.models import Role, RoleAssignment
    from parindex.accounts.tests.factories import UserFactory
    from parindex.indexsets import queries, services
    from parindex.indexsets.models import IndexSet
    from parindex.units.tests.factories import unit_type

    unit_type("SO")
    source = engine.parse_index_set(generated_spec())
    draft = services.import_index_set(source=source, by=None, draft=True).index_set
    officer = UserFactory(username="bench-indexsets")
    RoleAssignment.objects.create(user=officer, role=Role.PAR_OFFICER)
    client = Client()
    client.force_login(officer)
    url = f"/indexsets/{draft.pk}/"
    executed: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    floor = floor_ms(client)
    tree = median_ms(lambda: client.get(url), repeat=30, warmup=3)
    yield "indexsets_tree_150_leaves", round(tree, 1), "ms"
    yield "indexsets_tree_150_leaves_vs_floor", round(tree / floor, 1), "x"
    yield "indexsets_tree_150_leaves_queries", len(executed), "queries"
    index_set = IndexSet.objects.select_related("unit_type").get(pk=draft.pk)

    def cold() -> None:
        queries.clear_engine_cache()
        queries.engine_index_set(index_set)

    yield "indexsets_engine_set_cold", round(median_ms(cold, repeat=30, warmup=3), 2), "ms"
    start = time.perf_counter()
    for _ in range(10_000):
        queries.engine_index_set(index_set)
    warm_us = (time.perf_counter() - start) / 10_000 * 1_000_000
    yield "indexsets_engine_set_cached", round(warm_us, 1), "µs"
