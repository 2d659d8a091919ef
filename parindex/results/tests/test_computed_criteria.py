"""Computed criteria in the results: the provisional preview scores them on the units'
monitoring rates, and publication freezes their values and the lists behind them."""

from __future__ import annotations

from decimal import Decimal

from parindex.assessments import pages as assessment_pages
from parindex.assessments.models import Assessment
from parindex.monitoring import services
from parindex.monitoring.models import Progress
from parindex.monitoring.tests.fixtures import *  # noqa: F403 (the monitoring fixtures)
from parindex.monitoring.tests.fixtures import D, P, document
from parindex.monitoring.tests.fixtures import computed_round as _round
from parindex.results import queries as results_queries
from parindex.results import services as results_services
from parindex.rounds.models import Round


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
    grid = assessment_pages.grid(Assessment.objects.get(round=round_, unit=home_unit), "1")
    rows = {row.node.code: row for row in grid.rows}
    assert (rows["1.2"].computed.numerator, rows["1.2"].points) == (2, Decimal("2.00"))
    assert len(rows["1.2"].computed.basis) == 3
    assert results_services.verify_round(round_=round_).problems == []
