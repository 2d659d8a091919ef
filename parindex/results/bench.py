"""Benchmarks of results at national scale: 3,500 communes on a 150-leaf set (525,000 items).

Data is generated in bulk (one index set, 3,500 units, one item per unit and leaf with a value
drawn from a fixed seed). Then, in the order an office meets them: the provisional ranking page
computed, then served again from the shared cache (what every process reads); the publication
with nothing cached (the command line after an import; undone) and the part of it spent
gathering the inputs from the database, then as the office publishes, from the results page it
has just opened (decision 33); `verify`; the CSV, JSON and XLSX results (the workbook's peak is
the Python heap its writing allocates, measured apart from its time); the published ranking page
against the bare-view floor, its lost-points analysis (criteria and the first page of the units ×
areas heat map) and its survey grid (first page); before the publication, the spreadsheet an
office keeps today recalculating the same round in LibreOffice Calc (`_spreadsheet`, when
`soffice` with Calc is installed). Targets (issue 15): publish ≤ half the spreadsheet's
recalculation, verify ≤ 1.5 s, CSV/JSON ≤ 1 s, XLSX ≤ 5 s and < 300 MB, the unchanged preview
≤ 100 ms.
"""

from __future__ import annotations

import random
import statistics
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
    from parindex.results import computing, documents, queries, services, workbook

    round_, officer = _world()
    client = Client()
    client.force_login(officer)
    url = f"/results/{round_.pk}/"
    yield "results_preview_computed", round(_seconds(lambda: client.get(url)), 2), "s"
    cached = median_ms(lambda: client.get(url), repeat=5, warmup=1)
    yield "results_preview_cached", round(cached, 1), "ms"
    yield from _spreadsheet(queries.round_results(round_))
    yield "publish_round_cold", round(_cold_publish(round_, officer), 2), "s"
    with computing.collector_paused():  # as publication gathers them (see `collector_paused`)
        # of which gathering the inputs: reading 10^5 items, the floor no cache removes
        gathering = _seconds(lambda: queries.round_inputs(round_))
    yield "publish_cold_inputs", round(gathering, 2), "s"
    client.get(url)  # the office opens the results page, then presses "publish"
    publish = _seconds(lambda: services.publish_round(by=officer, round_=round_))
    yield "publish_round", round(publish, 2), "s"
    report = services.verify_round(round_=round_)  # once to warm, then measured
    assert report.is_intact, report.problems[:3]
    verify = statistics.median(
        _seconds(lambda: services.verify_round(round_=round_)) for _ in range(3)
    )
    yield "verify_round", round(verify, 2), "s"
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
    analysis_page = median_ms(lambda: client.get(f"{url}analysis/"), repeat=5, warmup=1)
    yield "results_analysis_page", round(analysis_page, 1), "ms"
    survey_page = median_ms(lambda: client.get(f"{url}survey/"), repeat=5, warmup=1)
    yield "results_survey_page", round(survey_page, 1), "ms"
    yield from _documents(round_)


def _cold_publish(round_: Any, officer: Any) -> float:
    """Publication with nothing cached (the command line straight after an import), undone."""
    from django.db import transaction

    from parindex.results import queries, services

    with transaction.atomic():
        queries.forget_results(round_)
        seconds = _seconds(lambda: services.publish_round(by=officer, round_=round_))
        transaction.set_rollback(True)
    return seconds


def _documents(round_: Any) -> Iterator[Figure]:
    """The published round's report (DOCX, PDF) and draft decision, seconds (median of 3)."""
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


# The spreadsheet an office keeps today: LibreOffice Calc recalculating the same round's sums,
# indices, ranks and bands, side by side with `publish_round` (issue 15's yardstick). Calc runs
# headless, recalculating every formula on load, on the office's workbook and on the same
# workbook without its formulas; the difference is the recalculation. The recalculated ranks
# are read back and compared.
_RECALC_ALWAYS = 0  # Calc's OOXMLRecalcMode on load: 0 always, 1 never, 2 ask


def _column(index: int) -> str:
    """Spreadsheet column letters of a 1-based column index (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _office_workbook(results: Any, path: Any, *, formulas: bool = True) -> dict[str, int]:
    """The office's workbook of the round's largest unit type (without its formulas: the same
    sheet with those cells empty); returns the engine's ranks."""
    from openpyxl import Workbook

    from parindex import engine

    type_results = max(results.types.values(), key=lambda block: len(block.units))
    scores = type_results.scores
    index_set = scores.index_set
    leaves = [leaf.code for area in index_set.areas for leaf in area.leaves()]
    extras = [
        (node.code, node.kind) for node in index_set.criteria if node.kind != engine.Kind.NORMAL
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Điểm")
    headers = ["Mã", *leaves, *(code for code, _ in extras), "Tối đa", "Tổng", "Chỉ số"]
    sheet.append([*headers, "Xếp hạng", "Xếp loại"])
    units = list(scores.units)
    last = len(units) + 1
    first_leaf, last_leaf = _column(2), _column(1 + len(leaves))
    max_col = _column(2 + len(leaves) + len(extras))
    total_col = _column(3 + len(leaves) + len(extras))
    index_col = _column(4 + len(leaves) + len(extras))
    bands = sorted(index_set.bands, key=lambda band: band.min_percent)
    for row, code in enumerate(units, start=2):
        score = scores.units[code]
        values = [score.leaf_points(leaf) for leaf in leaves]
        signs = []
        for position, (_code, kind) in enumerate(extras):
            column = _column(2 + len(leaves) + position)
            signs.append(f"{'+' if kind == engine.Kind.BONUS else '-'}{column}{row}")
        band = f'"{bands[0].name}"'
        for lower in bands[1:]:
            band = f'IF({index_col}{row}>={lower.min_percent},"{lower.name}",{band})'
        computed = [
            f"=MIN(MAX(SUM({first_leaf}{row}:{last_leaf}{row}){''.join(signs)},0),{max_col}{row})",
            f"=ROUND({total_col}{row}/{max_col}{row}*100,2)",
            f"=RANK({index_col}{row},${index_col}$2:${index_col}${last})",
            f"={band}",
        ]
        sheet.append(
            [
                code,
                *(None if value is None else float(value) for value in values),
                *(float(score.node(extra).points) for extra, _ in extras),
                float(score.max_points),
                *(computed if formulas else [None] * len(computed)),
            ]
        )
    book.save(path)
    return {code: scores.ranks[code] for code in units}


def _calc(workbook: Any, folder: Any) -> tuple[float, Any]:
    """Seconds LibreOffice takes to open `workbook`, recalculate it and write it as CSV."""
    import subprocess

    profile = folder / "profile"
    user = profile / "user"
    if not user.exists():
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
            '<prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
            f"<value>{_RECALC_ALWAYS}</value></prop></item></oor:items>\n"
        )
    out = folder / "csv"
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "--outdir",
        str(out),
        str(workbook),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start, out / f"{workbook.stem}.csv"


def _spreadsheet(results: Any) -> Iterator[Figure]:
    """The spreadsheet's recalculation (median of 3) and whether its ranks agree with ours."""
    import shutil
    import tempfile
    from pathlib import Path

    if shutil.which("soffice") is None:
        yield "spreadsheet_recalc", "skipped (no soffice: apt install libreoffice-calc)", ""
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        workbook, values = folder / "so-lieu.xlsx", folder / "chi-so-lieu.xlsx"
        ranks = _office_workbook(results, workbook)
        _office_workbook(results, values, formulas=False)
        _calc(values, folder)  # the profile's first start: not measured
        with_formulas = statistics.median(_calc(workbook, folder)[0] for _ in range(3))
        without = statistics.median(_calc(values, folder)[0] for _ in range(3))
        yield "spreadsheet_open_and_recalc", round(with_formulas, 2), "s"
        yield "spreadsheet_recalc", round(with_formulas - without, 2), "s"
        agree = _ranks_agreeing(folder / "csv" / "so-lieu.csv", ranks)
        yield "spreadsheet_ranks_agree", f"{agree}/{len(ranks)}", "units"


def _ranks_agreeing(recalculated: Any, ranks: dict[str, int]) -> int:
    """How many units the recalculated spreadsheet (CSV) ranks as the engine does."""
    import csv

    with recalculated.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rank_at = rows[0].index("Xếp hạng")
    theirs = {row[0]: int(float(row[rank_at])) for row in rows[1:] if row}
    return sum(theirs.get(code) == rank for code, rank in ranks.items())
