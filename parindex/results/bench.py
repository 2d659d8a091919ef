"""Benchmarks of results at national scale: 3,500 communes on a 150-leaf set (525,000 items).

Data is generated in bulk (one index set, 3,500 units, one item per unit and leaf with a value
drawn from a fixed seed). Then, in the order an office meets them: the provisional ranking page
computed, served again (this process), served to another process (the shared cache); the
publication; `verify`; the CSV, JSON and XLSX results (the workbook's peak is the Python heap
its writing allocates, measured apart from its time); the published ranking page against the
bare-view floor. Targets (issue 15): publish ≤ half the spreadsheet's recalculation (0.9 s),
verify ≤ 1.5 s, CSV/JSON ≤ 1 s, XLSX ≤ 5 s and < 300 MB, the unchanged preview ≤ 100 ms.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms

UNITS = 3500


def _value(leaf: Any, rng: random.Random) -> dict[str, Any]:
    """A plausible stored value for a leaf (mostly good scores, some losses)."""
    from parindex import engine

    rule = leaf.scoring_rule
    if leaf.source == engine.Source.SURVEY or isinstance(rule, engine.ProportionalRule):
        return {"percent": str(rng.randint(60, 100))}
    if isinstance(rule, engine.ChoiceRule):
        return {"choice": rng.choice(rule.options[:2]).label}
    if isinstance(rule, engine.PercentTiersRule):
        return {"percent": str(rng.choice((100, 100, 90, 70)))}
    if isinstance(rule, engine.DeductionRule):
        return {"count": rng.choice((0, 0, 1, 2))}
    steps = int(leaf.max_points / rule.step)
    return {"points": str(rule.step * rng.randint(steps // 2, steps))}


def _world() -> tuple[Any, Any]:
    from parindex import engine
    from parindex.accounts.models import Role
    from parindex.accounts.scale import user_with_role
    from parindex.assessments.scale import enrol
    from parindex.indexsets.scale import generated_spec, store_index_set
    from parindex.rounds.models import Round
    from parindex.rounds.scale import make_round
    from parindex.units.models import Unit

    spec = generated_spec("BENCH-RESULTS")
    index_set = store_index_set(spec)
    parsed = engine.parse_index_set(spec)
    xa = index_set.unit_type
    Unit.objects.bulk_create(
        Unit(code=f"RX{i:04d}", name=f"Xã Minh Họa {i}", unit_type=xa) for i in range(UNITS)
    )
    units = list(Unit.objects.filter(unit_type=xa, code__startswith="RX").order_by("code"))
    rng = random.Random(2026)
    leaves = list(parsed.leaves())
    scores = {unit: {leaf.code: _value(leaf, rng) for leaf in leaves} for unit in units}
    round_ = make_round("BENCH-2026", 2026, [index_set], status=Round.Status.FINALISED)
    enrol(round_, index_set, scores)
    officer = user_with_role("bench-results", Role.PAR_OFFICER)
    return round_, officer


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def run() -> Iterator[Figure]:
    from parindex.results import documents, queries, services, workbook

    round_, officer = _world()
    client = Client()
    client.force_login(officer)
    url = f"/results/{round_.pk}/"
    yield "results_preview_computed", round(_seconds(lambda: client.get(url)), 2), "s"
    cached = median_ms(lambda: client.get(url), repeat=5, warmup=1)
    yield "results_preview_cached", round(cached, 1), "ms"
    publish = _seconds(lambda: services.publish_round(by=officer, round_=round_))
    yield "publish_round", round(publish, 2), "s"
    report = services.verify_round(round_=round_)  # once to warm, then measured
    assert report.is_intact, report.problems[:3]
    yield "verify_round", round(_seconds(lambda: services.verify_round(round_=round_)), 2), "s"
    results = queries.round_results(round_)
    yield "results_csv", round(_seconds(lambda: documents.render(round_, "csv")), 2), "s"
    yield "results_json", round(_seconds(lambda: documents.render(round_, "json")), 2), "s"
    yield "results_xlsx", round(_seconds(lambda: workbook.results_xlsx(results)), 2), "s"
    tracemalloc.start()
    workbook.results_xlsx(results)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    yield "results_xlsx_peak", round(peak / 2**20), "MB"
    assert client.get(url).status_code == 200, "the results page must render for the benchmark"
    floor = floor_ms(client)
    page = median_ms(lambda: client.get(url), repeat=20, warmup=2)
    yield "results_page", round(page, 2), "ms"
    yield "results_page_vs_floor", round(page / floor, 1), "x"
    yield from _documents(round_)


def _documents(round_: Any) -> Iterator[Figure]:
    """The published round's report (DOCX, PDF) and draft decision, seconds (median of 3)."""
    import statistics

    from parindex.results import documents

    documents.render(round_, "pdf")  # warm up: fonts and the chart library load once
    for name, kind in (
        ("results_docx", "docx"),
        ("results_pdf", "pdf"),
        ("draft_decision_docx", "decision"),
    ):
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            documents.render(round_, kind)
            samples.append(time.perf_counter() - start)
        yield name, round(statistics.median(samples), 2), "s"
