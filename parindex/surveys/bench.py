"""Benchmarks of surveys at national scale: importing 100,000 long-form response rows (the
target is at least 10,000 rows a second) and applying a campaign to 3,500 communes' survey
leaves (target: 2 s).

The rows are written as a CSV file (the shared table module's writer) and the timed import
reads it back with the module's streaming reader, as `parindex survey responses` does.
Applying is timed twice: computing the scores and the values to write (this app), then the
whole apply, whose writing goes through the assessments' bulk survey values
(`assessments.bulk.write_survey_values`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from parindex.core.bench import Figure

UNITS = 3500
ROWS = 100_000


def run() -> Iterator[Figure]:
    from parindex.documents.tables import write_csv
    from parindex.surveys import responsefile
    from parindex.surveys.scale import commune_campaign, response_rows
    from parindex.surveys.services import apply, responses
    from parindex.surveys.services.responses import HEADER

    campaign = commune_campaign(UNITS)
    rows = response_rows(UNITS, ROWS)
    data = write_csv([HEADER, *rows])
    start = time.perf_counter()
    stored = responses.import_responses(
        campaign=campaign, rows=responsefile.response_rows(data, "phieu.csv"), by=None
    )
    seconds = time.perf_counter() - start
    yield "survey_import_rows", len(rows), "rows"
    yield "survey_import_responses", stored.responses, "responses"
    yield "survey_import_rate", round(len(rows) / seconds), "rows/s"
    start = time.perf_counter()
    apply.plan(campaign)  # the scores and the values to write, without writing them
    yield "survey_apply_compute_s", round(time.perf_counter() - start, 2), "s"
    start = time.perf_counter()
    applied = apply.apply_campaign(campaign=campaign, by=None)
    yield "survey_apply_units", UNITS, "units"
    yield "survey_apply_values", applied.written, "values"
    yield "survey_apply_s", round(time.perf_counter() - start, 2), "s"
