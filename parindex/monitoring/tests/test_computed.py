"""Computed criteria on the assessment pages: the self-assessment and appraisal pages and the
council summary score a `source: computed` leaf on the unit's monitoring rates at the round's
as_of, and nobody can type its value (the results and the snapshot: results' tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from parindex.assessments import pages as assessment_pages
from parindex.assessments import queries as assessment_queries
from parindex.assessments import services as assessment_services
from parindex.assessments.models import Assessment, Item
from parindex.conftest import refuses
from parindex.monitoring.models import Progress
from parindex.monitoring.tests.fixtures import TZ
from parindex.monitoring.tests.fixtures import computed_round as _round
from parindex.rounds.models import Round

D = dt.date
P = Progress.Status


def test_the_grid_scores_computed_leaves_on_the_units_rates(
    monitored, computed_set, home_unit, other_unit
):
    round_ = _round(computed_set, [home_unit, other_unit])
    home = Assessment.objects.get(round=round_, unit=home_unit)
    grid = assessment_pages.grid(home, "1")
    rows = {row.node.code: row for row in grid.rows}
    tasks, reports = rows["1.2"].computed, rows["1.3"].computed
    assert (tasks.numerator, tasks.denominator, tasks.answer) == (2, 3, {"ratio": [2, 3]})
    assert (reports.numerator, reports.denominator) == (2, 4)
    assert rows["1.2"].points == Decimal("2.00")  # 3 × 2/3
    assert rows["1.3"].points == Decimal("0.50")  # 50 % tier
    assert [line.is_counted for line in tasks.basis] == [True, True, False]
    assert tasks.basis[0].evidence == "Sản phẩm 1"
    assert [line.label for line in reports.basis] == [
        "Báo cáo CCHC quý (2026-Q1)",
        "Báo cáo CCHC quý (2026-Q2)",
        "Báo cáo CCHC quý (2026-Q3)",
        "Báo cáo CCHC quý (2026-Q4)",
    ]
    assert grid.result.points == Decimal("4.50")
    other = assessment_pages.grid(Assessment.objects.get(round=round_, unit=other_unit), "1")
    other_rows = {row.node.code: row for row in other.rows}
    assert other_rows["1.2"].is_excluded  # nothing due, excluded
    assert other.result.max_points == Decimal("3.00")


def test_an_earlier_as_of_counts_what_was_due_then(monitored, computed_set, home_unit):
    round_ = _round(computed_set, [home_unit], as_of=D(2026, 6, 30))
    grid = assessment_pages.grid(Assessment.objects.get(round=round_, unit=home_unit), "1")
    rows = {row.node.code: row for row in grid.rows}
    assert (rows["1.2"].computed.numerator, rows["1.2"].computed.denominator) == (2, 2)
    assert (rows["1.3"].computed.numerator, rows["1.3"].computed.denominator) == (2, 2)


def test_nobody_types_a_computed_value_and_it_never_blocks_submission(
    monitored, computed_set, home_unit, unit_editor, clock
):
    round_ = _round(computed_set, [home_unit])
    # Inside the self-assessment window, so the refusal is about the computed leaf, not the dates.
    clock.move_to(dt.datetime(2027, 1, 5, 9, 0, tzinfo=TZ))
    home = Assessment.objects.get(round=round_, unit=home_unit)
    item = Item.objects.select_related("assessment__round", "criterion").get(
        assessment=home, criterion__code="1.2"
    )
    with refuses("assessment.computed_criterion"):
        assessment_services.save_self_item(
            item=item, by=unit_editor, version=0, answer=Decimal(3), note="", no_evidence_reason=""
        )
    gaps = {gap.code for gap in assessment_queries.completeness(home)}
    assert gaps == {"1.1"}  # evidence for 1.1 only; computed leaves need nothing


def test_the_self_assessment_page_shows_the_value_and_the_list(
    client, monitored, computed_set, home_unit, unit_editor
):
    round_ = _round(computed_set, [home_unit])
    home = Assessment.objects.get(round=round_, unit=home_unit)
    client.force_login(unit_editor)
    page = client.get(reverse("assessments:detail", args=[home.pk]), {"area": "1"}).content.decode()
    assert "2/3" in page
    assert "Sản phẩm 1" in page
    assert (
        reverse("monitoring:progress", args=[Progress.objects.filter(unit=home_unit).first().pk])
        in page
    )


def test_the_council_summary_counts_computed_leaves(monitored, computed_set, home_unit):
    round_ = _round(computed_set, [home_unit])
    (row,) = assessment_pages.council_summary(round_)
    assert row.final_points == Decimal("4.50")


def test_round_create_takes_the_as_of_day(computed_set, home_unit, capsys):
    call_command(
        "create_round",
        "R-AS-OF",
        "--year",
        "2026",
        "--indexset",
        "SO=SO-M",
        "--as-of",
        "30/06/2026",
    )
    round_ = Round.objects.get(code="R-AS-OF")
    assert (round_.as_of, round_.rates_as_of) == (D(2026, 6, 30), D(2026, 6, 30))
    assert Round(year=2026).rates_as_of == D(2026, 12, 31)


def test_the_appraisal_page_shows_the_computed_value_and_offers_no_decision(
    client, monitored, computed_set, home_unit, appraiser, par_officer
):
    from parindex.indexsets.models import Criterion
    from parindex.rounds import services as round_services

    round_ = _round(computed_set, [home_unit])
    home = Assessment.objects.get(round=round_, unit=home_unit)
    Assessment.objects.filter(pk=home.pk).update(status=Assessment.Status.SUBMITTED)
    areas = Criterion.objects.filter(index_set=computed_set, parent__isnull=True)
    round_services.assign_appraisers(
        by=par_officer, round_=round_, cells={(home_unit.pk, area.pk): appraiser for area in areas}
    )
    client.force_login(appraiser)
    response = client.get(reverse("assessments:appraise", args=[home.pk]), {"area": "1"})
    page = response.content.decode()
    assert "2/3" in page and "2/4" in page
    computed_items = Item.objects.filter(assessment=home, criterion__code__in=["1.2", "1.3"])
    for item in computed_items:
        assert reverse("assessments:decide", args=[item.pk]) not in page
