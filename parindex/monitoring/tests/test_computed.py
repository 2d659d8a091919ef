"""Computed criteria end to end: the self-assessment and appraisal pages, the results and the
snapshot all score a `source: computed` leaf on the unit's monitoring rates at the round's
as_of, and nobody can type its value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from parindex.assessments import queries as assessment_queries
from parindex.assessments import services as assessment_services
from parindex.assessments.models import Assessment, Item
from parindex.assessments.tests.factories import save_index_set
from parindex.monitoring import services
from parindex.monitoring.models import Progress
from parindex.monitoring.tests.fixtures import document, make_plan, task_values
from parindex.results import queries as results_queries
from parindex.results import services as results_services
from parindex.results.tests.factories import enrol, make_round
from parindex.rounds.models import Round

D = dt.date
P = Progress.Status

COMPUTED_SET = {
    "code": "SO-M",
    "name": "Bộ chỉ số có tiêu chí tính tự động",
    "unit_type": "SO",
    "valid_from": 2026,
    "bands": [
        {"code": "TOT", "name": "Tốt", "min_percent": 90},
        {"code": "YEU", "name": "Yếu", "min_percent": 0},
    ],
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "children": [
                {"code": "1.1", "name": "Ban hành kế hoạch", "max_points": 2},
                {
                    "code": "1.2",
                    "name": "Hoàn thành nhiệm vụ đúng hạn",
                    "max_points": 3,
                    "source": "computed",
                    "input": "tasks_on_time",
                    "rule": {"type": "proportional"},
                    "not_applicable": "exclude",
                },
                {
                    "code": "1.3",
                    "name": "Báo cáo đúng hạn",
                    "max_points": 1,
                    "source": "computed",
                    "input": "reports_on_time",
                    "rule": {
                        "type": "percent_tiers",
                        "tiers": [
                            {"min_percent": 100, "points": 1},
                            {"min_percent": 50, "points": 0.5},
                        ],
                    },
                },
            ],
        }
    ],
}


@pytest.fixture
def computed_set(db):
    return save_index_set(COMPUTED_SET)


@pytest.fixture
def monitored(clock, par_officer, unit_editor, home_unit, other_unit, quarterly, computed_set):
    """HOME: of 3 tasks due by 31/12, 2 done on time; Q1 and Q2 reports on time of 4 due.
    OTHER: nothing due on tasks (its task was cancelled), no report sent."""
    plan = make_plan(
        par_officer,
        tasks=[
            task_values("1", deadline=D(2026, 3, 31)),
            task_values("2", deadline=D(2026, 5, 31)),
            task_values("3", deadline=D(2026, 9, 30)),
        ],
    )
    rows = {
        (row.unit.code, row.task.code): row
        for row in Progress.objects.filter(task__plan=plan).select_related("unit", "task")
    }
    for code, day in (("1", D(2026, 3, 30)), ("2", D(2026, 5, 20))):
        services.report_progress(
            by=unit_editor,
            progress=rows[("HOME", code)],
            version=0,
            status=P.DONE,
            completed_on=day,
            evidence=document(home_unit, unit_editor, f"Sản phẩm {code}", f"{code}/BC"),
        )
    for code in ("1", "2", "3"):
        services.cancel_progress(by=par_officer, progress=rows[("OTHER", code)], reason="Sáp nhập")
    for period, day in (("2026-Q1", D(2026, 3, 10)), ("2026-Q2", D(2026, 6, 9))):
        services.submit_report(
            by=unit_editor, report_type=quarterly, unit=home_unit, period=period, submitted_on=day
        )
    return plan


def _round(computed_set, units, status=Round.Status.OPEN, as_of=None) -> Round:
    round_ = make_round("R-2026", 2026, [computed_set], status=status)
    if as_of:
        Round.objects.filter(pk=round_.pk).update(as_of=as_of)
        round_.refresh_from_db()
    enrol(
        round_, computed_set, {unit: {"1.1": 2} for unit in units}, status=Assessment.Status.DRAFT
    )
    return round_


def test_the_grid_scores_computed_leaves_on_the_units_rates(
    monitored, computed_set, home_unit, other_unit
):
    round_ = _round(computed_set, [home_unit, other_unit])
    home = Assessment.objects.get(round=round_, unit=home_unit)
    grid = assessment_queries.grid(home, "1")
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
    other = assessment_queries.grid(Assessment.objects.get(round=round_, unit=other_unit), "1")
    other_rows = {row.node.code: row for row in other.rows}
    assert other_rows["1.2"].is_excluded  # nothing due, excluded
    assert other.result.max_points == Decimal("3.00")


def test_an_earlier_as_of_counts_what_was_due_then(monitored, computed_set, home_unit):
    round_ = _round(computed_set, [home_unit], as_of=D(2026, 6, 30))
    grid = assessment_queries.grid(Assessment.objects.get(round=round_, unit=home_unit), "1")
    rows = {row.node.code: row for row in grid.rows}
    assert (rows["1.2"].computed.numerator, rows["1.2"].computed.denominator) == (2, 2)
    assert (rows["1.3"].computed.numerator, rows["1.3"].computed.denominator) == (2, 2)


def test_nobody_types_a_computed_value_and_it_never_blocks_submission(
    monitored, computed_set, home_unit, unit_editor
):
    round_ = _round(computed_set, [home_unit])
    home = Assessment.objects.get(round=round_, unit=home_unit)
    item = Item.objects.select_related("assessment__round", "criterion").get(
        assessment=home, criterion__code="1.2"
    )
    with pytest.raises(assessment_services.Refused, match="1.2|theo dõi"):
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


def test_the_preview_and_the_snapshot_score_computed_leaves_and_freeze_the_lists(
    monitored, computed_set, home_unit, unit_editor, par_officer
):
    round_ = _round(computed_set, [home_unit], status=Round.Status.FINALISED)
    preview = results_queries.round_results(round_)
    score = preview.types["SO"].score("HOME")
    assert (score.leaf_points("1.2"), score.leaf_points("1.3")) == (
        Decimal("2.00"),
        Decimal("0.50"),
    )
    results_services.publish_round(by=par_officer, round_=round_)
    # Later changes do not touch the published figures nor the lists the pages show.
    task = Progress.objects.get(unit=home_unit, task__code="3")
    services.report_progress(
        by=unit_editor,
        progress=task,
        version=task.version,
        status=P.DONE,
        completed_on=D(2026, 6, 1),
        evidence=document(home_unit, unit_editor, "Sản phẩm 3", "3/BC"),
    )
    published = results_queries.round_results(round_)
    assert published.types["SO"].score("HOME").leaf_points("1.2") == Decimal("2.00")
    grid = assessment_queries.grid(Assessment.objects.get(round=round_, unit=home_unit), "1")
    rows = {row.node.code: row for row in grid.rows}
    assert (rows["1.2"].computed.numerator, rows["1.2"].points) == (2, Decimal("2.00"))
    assert len(rows["1.2"].computed.basis) == 3
    assert results_services.verify_round(round_=round_).problems == []


def test_the_council_summary_counts_computed_leaves(monitored, computed_set, home_unit):
    round_ = _round(computed_set, [home_unit])
    (row,) = assessment_queries.council_summary(round_)
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
