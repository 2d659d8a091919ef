"""The survey benchmark runs end to end (small sizes here; `make bench` runs the real ones)."""

from __future__ import annotations

import pytest
from django.db import connection

from parindex.assessments.models import Item
from parindex.conftest import reseed
from parindex.surveys import bench
from parindex.surveys.models import Response
from parindex.surveys.scale import response_rows


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_imports_rows_and_applies_the_campaign(monkeypatch):
    reseed()  # an earlier transactional test's flush may have emptied the seeded tables
    monkeypatch.setattr(bench, "UNITS", 12)
    monkeypatch.setattr(bench, "ROWS", 400)
    figures = {name: (value, unit) for name, value, unit in bench.run()}
    assert figures["survey_import_rows"][0] >= 400
    assert figures["survey_import_rate"][1] == "rows/s"
    assert figures["survey_apply_values"][0] > 0
    assert Item.objects.exclude(survey_answer=None).count() == figures["survey_apply_values"][0]
    if connection.vendor == "postgresql":  # the public form under load needs a server database
        assert figures["survey_form_errors"] == (0, "errors")
        assert Response.objects.filter(channel="web").count() == bench.SUBMITTERS


def test_response_rows_are_reproducible_and_well_formed():
    rows = response_rows(50, 300)
    assert rows == response_rows(50, 300) and len(rows) >= 300
    assert all(len(row) == 5 and row[2].startswith("XQ") for row in rows)
