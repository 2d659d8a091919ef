"""Benchmarks of the page shell: the latency floor (a bare view) and the home dashboard."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator

from django.test import Client

Figure = tuple[str, float | int | str, str]


def median_ms(call: Callable[[], object], repeat: int = 200, warmup: int = 20) -> float:
    """Median wall time of `call` in milliseconds, after a warm-up."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def floor_ms(client: Client) -> float:
    """Latency of the bare health-check view: the floor other pages are compared with."""
    return median_ms(lambda: client.get("/healthz"))


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
