"""Benchmark helpers: timing a call, and the latency floor (a bare view) pages compare with.

The home dashboard's figures are measured by `parindex.accounts.bench` (it needs a user with a
role, which core, below accounts, does not make).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

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
