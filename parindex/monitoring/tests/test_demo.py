"""The demo's monitoring: the year's PAR plan, a remediation plan from last year's published
round, reports with some late or missing, two inspections, and computed criteria scored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments import pages as assessment_pages
from parindex.assessments.models import Assessment
from parindex.monitoring import rates
from parindex.monitoring.models import Finding, Inspection, Plan, Progress, Submission
from parindex.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_years_plans_reports_and_inspections(demo_world):
    current = Round.objects.get(pk=demo_world.current_round.pk)
    plan = Plan.objects.get(code=f"KH-CCHC-{current.year}")
    assert plan.is_issued and 35 <= plan.tasks.count() <= 45
    leads = {code for lead in plan.tasks.values_list("lead", flat=True) for code in lead}
    assert {"SO", "XA", "SNV", "STP"} <= leads
    remediation = Plan.objects.get(kind=Plan.Kind.REMEDIATION)
    assert remediation.source_round.year == current.year - 1
    assert remediation.source_round.status == Round.Status.PUBLISHED
    statuses = set(Progress.objects.filter(unit__code="STP").values_list("status", "review"))
    assert {("done", "accepted"), ("done", "pending"), ("in_progress", "returned")} <= statuses
    states = {row.state for row in _calendar_rows(current.year)}
    assert {"on_time", "late"} <= states
    assert Submission.objects.filter(status=Submission.Status.RETURNED).exists()
    assert Inspection.objects.count() == 2
    assert set(Finding.objects.values_list("status", flat=True)) >= {"remedied", "open", "reported"}


def _calendar_rows(year):
    from parindex.monitoring.queries import unit_calendar
    from parindex.rounds.deadlines import today
    from parindex.units.models import Unit

    rows = []
    for unit in Unit.objects.filter(unit_type__code="XA").order_by("code")[:10]:
        rows += unit_calendar(unit, year, today())
    return rows


def test_communes_computed_criteria_are_scored_in_the_current_round(demo_world):
    current = Round.objects.get(pk=demo_world.current_round.pk)
    commune = (
        Assessment.objects.filter(round=current, unit__unit_type__code="XA")
        .select_related("round", "unit", "index_set")
        .order_by("unit__code")
        .first()
    )
    grid = assessment_pages.grid(commune, "1")
    computed = {row.node.code: row.computed for row in grid.rows if row.computed}
    assert set(computed) == {"1.1.2", "1.3.2"}
    assert computed["1.1.2"].denominator > 0 and computed["1.1.2"].basis
    found = rates.year_rates(current.year)[commune.unit_id]
    assert (computed["1.1.2"].numerator, computed["1.1.2"].denominator) == (
        found.tasks_on_time,
        found.tasks_due,
    )


def test_the_demo_logins_open_their_monitoring_pages(demo_world, client):
    for username, url in (
        ("cchc", reverse("monitoring:plans")),
        ("cchc", reverse("monitoring:completion")),
        ("cchc", reverse("monitoring:warning")),
        ("lanhdao", reverse("monitoring:completion")),
        ("stp.canbo", reverse("monitoring:mine")),
    ):
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, (username, url)
