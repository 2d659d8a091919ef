"""Benchmarks: the self-assessment page of a 150-leaf set, half answered, with evidence; and a
national round written in bulk.

The page is measured against the floor (the bare health-check view): it loads the assessment,
builds the engine's index set, scores the unit through the engine and renders one area's grid.

National scale (issue 15): 3,500 units on a 150-leaf set. `round create` through the rounds
service (3,500 assessments, 525,000 items; target 2 s), then `parindex scores import` of the
round's 525,000-row CSV file through the command, reading included (targets: 20,000 rows/s on
SQLite, 50,000 on PostgreSQL; peak memory under 500 MB, the process's peak resident size). On
SQLite, which runs in the process, the CPU time is printed too (`*_cpu`): on a machine shared
with other work it is the figure that does not depend on the others' load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms

NATIONAL_UNITS = 3500


def run() -> Iterator[Figure]:
    yield from page()
    yield from national()


def national() -> Iterator[Figure]:
    import io
    import resource
    import tempfile
    import time
    from pathlib import Path

    from django.core.management import call_command
    from django.db import connection

    from parindex.assessments.scale_scores import write_scores_csv
    from parindex.indexsets.scale import generated_spec, store_index_set
    from parindex.rounds import services as round_services
    from parindex.units.models import Unit

    index_set = store_index_set(generated_spec("BENCH-NAT"))
    Unit.objects.bulk_create(
        Unit(code=f"NX{i:04d}", name=f"Xã Minh Họa {i}", unit_type=index_set.unit_type)
        for i in range(NATIONAL_UNITS)
    )
    start = dt.date(2027, 12, 1)
    dates = {"self_assessment_opens_on": start}
    for number, field in enumerate(round_services.DATE_FIELDS[1:], start=1):
        dates[field] = start + dt.timedelta(days=10 * number)
    began, cpu = time.perf_counter(), time.process_time()
    round_ = round_services.create_round(
        by=None,
        code="BENCH-NAT",
        year=2027,
        name="Bench national",
        index_sets={index_set.unit_type.code: index_set},
        dates=dates,
    )
    yield "round_create", round(time.perf_counter() - began, 2), "s"
    if connection.vendor == "sqlite":  # in-process: CPU time is the figure a busy machine keeps
        yield "round_create_cpu", round(time.process_time() - cpu, 2), "s"
    yield "round_create_units", round_.assessments.count(), "units"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.csv"
        rows = write_scores_csv(round_, path)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        began, cpu = time.perf_counter(), time.process_time()
        call_command("import_scores", round_.code, str(path), stdout=io.StringIO())
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    yield "scores_import_rows", rows, "rows"
    yield "scores_import_s", round(seconds, 2), "s"
    yield "scores_import_rows_per_s", round(rows / seconds), "rows/s"
    if connection.vendor == "sqlite":
        yield "scores_import_rows_per_cpu_s", round(rows / cpu), "rows/s"
    yield "scores_import_peak_rss", peak, "MB"


def page() -> Iterator[Figure]:
    from parindex import engine
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.assessments import answers, queries, services
    from parindex.assessments.demo import save_items
    from parindex.assessments.models import Assessment, ItemEvidence
    from parindex.indexsets.scale import big_spec, store_index_set
    from parindex.rounds import services as round_services
    from parindex.rounds.deadlines import today
    from parindex.units import services as unit_services

    index_set = store_index_set(big_spec(150, code="BENCH-SO"))
    unit = unit_services.create_unit(
        by=None, code="BENCH", name="Đơn vị đo hiệu năng", unit_type=index_set.unit_type
    )
    editor = user_with_role("bench-editor", Role.UNIT_EDITOR, unit)
    start = today() - dt.timedelta(days=5)
    round_ = round_services.create_round(
        by=None,
        code="BENCH",
        year=start.year,
        name="Bench",
        index_sets={"SO": index_set},
        dates={
            "self_assessment_opens_on": start,
            "self_assessment_closes_on": start + dt.timedelta(days=30),
            "appraisal_closes_on": start + dt.timedelta(days=40),
            "explanation_closes_on": start + dt.timedelta(days=45),
            "second_appraisal_closes_on": start + dt.timedelta(days=50),
            "council_closes_on": start + dt.timedelta(days=55),
            "publication_on": start + dt.timedelta(days=60),
        },
        units=[unit],
    )
    round_services.open_round(by=None, round_=round_)
    assessment = Assessment.objects.get(round=round_)
    tree = queries.engine_set_for(assessment)
    document, _ = services.register_document(
        unit=unit, by=editor, title="Kế hoạch CCHC", number="1/KH", issued_on=None, issuer=""
    )
    items = list(assessment.items.select_related("criterion").order_by("position"))
    for item in items[::2]:
        node = tree.criterion(item.criterion.code)
        rule = node.scoring_rule
        answer: engine.Answer
        if isinstance(rule, engine.ChoiceRule):
            answer = engine.Choice(rule.options[0].label)
        elif isinstance(rule, engine.DeductionRule):
            answer = engine.Count(1)
        else:
            answer = engine.Percent(Decimal(90))
        item.self_answer = answers.to_json(answer)
        item.self_points = engine.leaf_points(node, answer)
    save_items(items, ["self_answer", "self_points"])
    for item in items[::4]:
        ItemEvidence.objects.create(item=item, evidence=document, added_by=editor)
    client = Client()
    client.force_login(editor)
    url = f"/assessments/{assessment.pk}/?area=1"
    assert client.get(url).status_code == 200, "the self-assessment page must render"
    floor = floor_ms(client)
    page = median_ms(lambda: client.get(url), repeat=50, warmup=5)
    yield "self_assessment_page", round(page, 2), "ms"
    yield "self_assessment_vs_floor", round(page / floor, 1), "x"
