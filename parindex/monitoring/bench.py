"""Benchmarks of monitoring at national scale: 3,500 communes × 60 plan tasks and 12 monthly
reports each (210,000 progress rows, 42,000 submissions).

Targets (issue 12): the completion page ≤ 300 ms with the same number of queries as with a
few units (asserted here at national scale), the year's rates ≤ 1 s; on SQLite and PostgreSQL
(`DATABASE_URL=… parindex bench monitoring`). The completion page's counts are kept per data
revision: `monitoring_completion` is the page as the office reloads it,
`monitoring_completion_after_change` the first view after any recorded change (a recount).

The plan is built through the services (each task led by every commune), progress and
submissions are then written in bulk from a fixed seed. Timed: the office's completion page and
plan page (against the bare-view floor), and the rates of the whole year.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import F
from django.db.models.functions import Mod
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.core.bench import Figure, floor_ms, median_ms

UNITS = 3500
TASKS = 60
YEAR = 2026
COMPLETION_QUERIES = 16


def _world() -> tuple[Any, Any]:
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.monitoring import queries, services
    from parindex.monitoring.models import Progress, ReportType, Submission
    from parindex.units.models import Unit, UnitType

    xa = UnitType.objects.get_or_create(code="XA", defaults={"name": "Xã, phường"})[0]
    Unit.objects.bulk_create(
        (Unit(code=f"XA{i:04d}", name=f"Xã Minh Họa {i}", unit_type=xa) for i in range(UNITS)),
        batch_size=1000,
    )
    officer = user_with_role("bench-monitoring", Role.PAR_OFFICER)
    plan = services.create_plan(by=officer, code="BENCH-KH", year=YEAR, title="Kế hoạch CCHC")
    resolver = queries.LeadResolver()
    for number in range(1, TASKS + 1):
        services.add_task(
            by=officer,
            plan=plan,
            resolver=resolver,
            record=False,
            values=services.TaskValues(
                code=str(number),
                title=f"Nhiệm vụ {number}",
                lead=("XA",),
                deadline=dt.date(YEAR, 1 + (number - 1) % 12, 28),
            ),
        )
    services.issue_plan(by=officer, plan=plan, issued_on=dt.date(YEAR, 1, 2))
    # Progress by the row's id: 70 % done on time, 10 % late, 15 % in progress, 5 % not started.
    rows = Progress.objects.filter(task__plan=plan).annotate(slot=Mod(F("id"), 20))
    done = Progress.Status.DONE
    rows.filter(slot__lt=14).update(status=done, completed_on=F("deadline"))
    rows.filter(slot__in=[14, 15]).update(
        status=done, completed_on=F("deadline") + dt.timedelta(days=9)
    )
    rows.filter(slot__gte=16, slot__lt=19).update(status=Progress.Status.IN_PROGRESS)
    monthly, _ = services.save_report_type(
        by=officer,
        code="BENCH-BC",
        title="Báo cáo tháng",
        frequency=ReportType.Frequency.MONTHLY,
        due_day=20,
        unit_types=["XA"],
    )
    from parindex import engine

    rng = random.Random(YEAR)
    submissions = []
    for unit_id in Unit.objects.filter(unit_type=xa).values_list("pk", flat=True):
        for period in engine.periods("monthly", YEAR, 20):
            if rng.random() < 0.95:
                submissions.append(
                    Submission(
                        report_type=monthly,
                        unit_id=unit_id,
                        period=period.code,
                        due_on=period.due_on,
                        submitted_on=period.due_on + dt.timedelta(days=rng.randint(-5, 2)),
                    )
                )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    return plan, officer


def run() -> Iterator[Figure]:
    from parindex.core import revisions
    from parindex.monitoring import rates

    start = time.perf_counter()
    plan, officer = _world()
    yield "monitoring_setup", round(time.perf_counter() - start, 1), "s"
    client = Client()
    client.force_login(officer)
    completion = f"/monitoring/completion/?year={YEAR}"
    assert client.get(completion).status_code == 200, "the completion page must render"
    floor = floor_ms(client)
    # Counted again after each change (a new data revision), else served from the cache.

    def after_change() -> Any:
        revisions.touch()
        return client.get(completion)

    cold = median_ms(after_change, repeat=5, warmup=1)
    page = median_ms(lambda: client.get(completion), repeat=10, warmup=2)
    revisions.touch()
    with CaptureQueriesContext(connection) as queries:
        client.get(completion)
    # The same bound as the page's test with 32 units (test_views): independent of the scale.
    assert len(queries) <= COMPLETION_QUERIES, f"{len(queries)} queries on the completion page"
    yield "monitoring_completion", round(page, 1), "ms"
    yield "monitoring_completion_after_change", round(cold, 1), "ms"
    yield "monitoring_completion_queries", len(queries), "queries"
    yield "monitoring_completion_vs_floor", round(page / floor, 1), "x"
    plan_page = median_ms(lambda: client.get(f"/monitoring/plans/{plan.pk}/"), repeat=10, warmup=2)
    yield "monitoring_plan_page", round(plan_page, 1), "ms"
    start = time.perf_counter()
    found = rates.year_rates(YEAR)
    yield "monitoring_rates_year", round(time.perf_counter() - start, 2), "s"
    assert len(found) == UNITS
    yield "monitoring_rates_rows", sum(r.tasks_due + r.reports_due for r in found.values()), "rows"
