"""The benchmark runs at a small scale, and the completion page's queries do not grow with the
number of units and tasks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.monitoring import bench

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_benchmark_yields_its_figures(monkeypatch):
    monkeypatch.setattr(bench, "UNITS", 12)
    monkeypatch.setattr(bench, "TASKS", 4)
    monkeypatch.setattr(bench, "floor_ms", lambda client: 1.0)
    monkeypatch.setattr(bench, "median_ms", lambda call, **_: (call(), 1.0)[1])
    figures = {name: (value, unit) for name, value, unit in bench.run()}
    assert figures["monitoring_rates_rows"] == (12 * 4 + 12 * 12, "rows")
    assert {
        "monitoring_completion",
        "monitoring_completion_after_change",
        "monitoring_rates_year",
        "monitoring_plan_page",
    } <= set(figures)


def test_the_completion_page_runs_the_same_queries_for_10_or_120_units(monkeypatch):
    from parindex.accounts.models import User
    from parindex.monitoring import services
    from parindex.units.models import Unit
    from parindex.units.tests.factories import unit_type

    monkeypatch.setattr(bench, "UNITS", 10)
    monkeypatch.setattr(bench, "TASKS", 3)
    plan, officer = bench._world()
    client = Client()
    client.force_login(User.objects.get(pk=officer.pk))
    url = f"/monitoring/completion/?year={bench.YEAR}"
    small = _queries(client, url)
    plan_page = _queries(client, f"/monitoring/plans/{plan.pk}/")
    xa = unit_type("XA")
    Unit.objects.bulk_create(
        Unit(code=f"MORE{i:03d}", name=f"Xã {i}", unit_type=xa) for i in range(110)
    )
    for number in range(4, 10):
        services.add_task(
            by=officer,
            plan=plan,
            values=services.TaskValues(
                code=str(number),
                title="Nhiệm vụ",
                lead=("XA",),
                deadline=plan.tasks.first().deadline,
            ),
        )
    assert _queries(client, url) == small <= 15  # 14 + the inbox count in the header
    assert _queries(client, f"/monitoring/plans/{plan.pk}/") == plan_page <= 12
