"""Benchmarks of index sets: the tree page of a 150-leaf set and the engine's copy of a set."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms
from parindex.indexsets.scale import generated_spec


def run() -> Iterator[Figure]:
    from parindex import engine
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.indexsets import queries, services
    from parindex.indexsets.models import IndexSet

    source = engine.parse_index_set(generated_spec())
    draft = services.import_index_set(source=source, by=None, draft=True).index_set
    officer = user_with_role("bench-indexsets", Role.PAR_OFFICER)
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
