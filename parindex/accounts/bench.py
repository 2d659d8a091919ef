"""Benchmark of the page shell: the home dashboard of the PAR office against the latency floor."""

from __future__ import annotations

from collections.abc import Iterator

from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms


def run() -> Iterator[Figure]:
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role

    officer = user_with_role("bench-officer", Role.PAR_OFFICER)
    client = Client()
    client.force_login(officer)
    assert client.get("/").status_code == 200, "the dashboard must render for the benchmark"
    floor = floor_ms(client)
    dashboard = median_ms(lambda: client.get("/"))
    yield "floor", round(floor, 2), "ms"
    yield "dashboard", round(dashboard, 2), "ms"
    yield "dashboard_vs_floor", round(dashboard / floor, 1), "x"
