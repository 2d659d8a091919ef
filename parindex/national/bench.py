"""Benchmarks of the national analysis on the demo's five years of 63 and 34 provinces."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms


def run() -> Iterator[Figure]:
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.national import demo, exports
    from parindex.national.models import Province
    from parindex.national.report import build_report

    demo.load(SimpleNamespace())
    province = Province.objects.get(name=demo.OURS)
    viewer = user_with_role("bench-national-viewer", Role.VIEWER)
    client = Client()
    client.force_login(viewer)
    params: dict[str, str | int] = {"province": demo.OURS, "year": 2025}
    assert client.get("/national/analysis/", params).status_code == 200
    floor = floor_ms(client)
    yield (
        "national_report_build",
        round(median_ms(lambda: build_report(province=province, year=2025), repeat=50), 2),
        "ms",
    )
    page = median_ms(lambda: client.get("/national/analysis/", params), repeat=50, warmup=5)
    yield "national_analysis_page", round(page, 2), "ms"
    yield "national_analysis_page_vs_floor", round(page / floor, 1), "x"
    report = build_report(province=province, year=2025)
    yield (
        "national_docx",
        round(median_ms(lambda: exports.to_docx(report), repeat=5, warmup=1), 1),
        "ms",
    )
