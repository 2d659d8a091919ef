"""Benchmarks of surveys at national scale: importing 100,000 long-form response rows (the
target is at least 10,000 rows a second) and applying a campaign to 3,500 communes' survey
leaves (target: 2 s).

The rows are written as a CSV file (the shared table module's writer) and the timed import
reads it back with the module's streaming reader, as `parindex survey responses` does.
Applying is timed twice: computing the scores and the values to write (this app), then the
whole `parindex survey apply` (the command; the office's button runs the same service as a
background job), whose writing goes through the assessments' bulk survey values
(`assessments.bulk.write_survey_values`). On PostgreSQL the tables are analysed first, as
autovacuum would have done after the import; on SQLite the command's CPU time is given too,
the figure a busy machine keeps (the database works in the same process).

On PostgreSQL, 50 people then send the public form at once through a server on loopback (a
bounded load test: zero errors expected); SQLite's throwaway database is in memory and holds no
concurrent writers, so it gives no such figure.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

from django.core.management import call_command
from django.db import connection

from parindex.core.bench import Figure
from parindex.surveys.models import Campaign

UNITS = 3500
ROWS = 100_000
SUBMITTERS = 50


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
    if connection.vendor == "postgresql":  # as autovacuum would after the import
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    start = time.perf_counter()
    apply.plan(campaign)  # the scores and the values to write, without writing them
    yield "survey_apply_compute_s", round(time.perf_counter() - start, 2), "s"
    out = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    call_command(
        "apply_survey",
        campaign.questionnaire.code,
        campaign.round.code,
        stdout=out,
        stderr=io.StringIO(),  # the leaves without data, a line each
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    written = int(out.getvalue().split()[0])  # "20824 survey values written, …"
    yield "survey_apply_units", UNITS, "units"
    yield "survey_apply_values", written, "values"
    yield "survey_apply_s", round(seconds, 2), "s"
    if connection.vendor == "sqlite":
        yield "survey_apply_cpu_s", round(cpu, 2), "s"
    yield from _public_form(campaign)


def _public_form(campaign: Campaign) -> Iterator[Figure]:
    """50 people send the public form at once; how long it takes and how many failed."""
    if connection.vendor != "postgresql":
        return
    from concurrent.futures import ThreadPoolExecutor

    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    from parindex.surveys.scale import ASKED, ProductionBacklog, submit_form
    from parindex.surveys.services import campaigns
    from parindex.surveys.services.campaigns import Invitee
    from parindex.units.models import Unit

    unit = Unit.objects.filter(code__startswith="XQ").order_by("code")[0]
    group = campaign.questionnaire.groups.get(code="ND")
    issued = campaigns.issue_invitations(
        campaign=campaign, invitees=[Invitee(unit, group)] * SUBMITTERS, by=None
    )
    answers = {code: "B" for code in ASKED["ND"]}
    # The app as it is (no static files handler): the thread wraps what it is given.
    server = LiveServerThread("127.0.0.1", _as_is, port=0)  # type: ignore[arg-type]  # any callable
    server.server_class = ProductionBacklog
    server.daemon = True
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        base = f"http://127.0.0.1:{server.port}"
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
            statuses = list(pool.map(lambda item: submit_form(base, item.token, answers), issued))
        seconds = time.perf_counter() - start
        server.terminate()
    yield "survey_form_submitters", SUBMITTERS, "people"
    yield "survey_form_errors", sum(1 for status in statuses if status != 302), "errors"
    yield "survey_form_s", round(seconds, 2), "s"


def _as_is(application: Any) -> Any:
    return application
