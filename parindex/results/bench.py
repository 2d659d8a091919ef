"""Benchmarks of results at national scale: a 3,500-commune round on the 2026 commune set.

Data is generated in bulk (one index set, 3,500 units, one item per unit and leaf with a value
drawn from a fixed seed), then the round is published (`publish_round`, seconds) and its
ranking page is timed against the bare-view floor.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from django.test import Client

from parindex.core.bench import Figure, floor_ms, median_ms

UNITS = 3500
SAMPLE = Path(__file__).resolve().parent.parent / "indexsets" / "samples" / "xa-2026.yaml"


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
    from parindex.indexsets.scale import store_index_set
    from parindex.rounds.models import Round
    from parindex.rounds.scale import make_round
    from parindex.units.models import Unit

    spec = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    index_set = store_index_set(spec)
    parsed = engine.parse_index_set(spec)
    xa = index_set.unit_type
    Unit.objects.bulk_create(
        Unit(code=f"XA{i:04d}", name=f"Xã Minh Họa {i}", unit_type=xa) for i in range(UNITS)
    )
    units = list(Unit.objects.filter(unit_type=xa, code__startswith="XA").order_by("code"))
    rng = random.Random(2026)
    leaves = list(parsed.leaves())
    scores = {unit: {leaf.code: _value(leaf, rng) for leaf in leaves} for unit in units}
    round_ = make_round("BENCH-2026", 2026, [index_set], status=Round.Status.FINALISED)
    enrol(round_, index_set, scores)
    officer = user_with_role("bench-results", Role.PAR_OFFICER)
    return round_, officer


def run() -> Iterator[Figure]:
    from parindex.results import services

    round_, officer = _world()
    client = Client()
    client.force_login(officer)
    url = f"/results/{round_.pk}/"
    preview = median_ms(lambda: client.get(url), repeat=3, warmup=1)
    start = time.perf_counter()
    services.publish_round(by=officer, round_=round_)
    publish_s = time.perf_counter() - start
    assert client.get(url).status_code == 200, "the results page must render for the benchmark"
    floor = floor_ms(client)
    page = median_ms(lambda: client.get(url), repeat=20, warmup=2)
    yield "results_page", round(page, 2), "ms"
    yield "results_page_vs_floor", round(page / floor, 1), "x"
    yield "publish_round", round(publish_s, 2), "s"
    yield "results_preview_page", round(preview, 2), "ms"
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
