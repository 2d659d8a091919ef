"""A year's rates from the database: what counts, at which date, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from parindex.engine import Rates
from parindex.monitoring import rates, services
from parindex.monitoring.models import Progress
from parindex.monitoring.tests.fixtures import document, make_plan, task_values
from parindex.units.tests.factories import make_unit

D = dt.date
P = Progress.Status


def _done(progress, by, on, unit):
    services.report_progress(
        by=by,
        progress=progress,
        version=progress.version,
        status=P.DONE,
        completed_on=on,
        evidence=document(unit, by, f"SP {on}", f"{on}"),
        today=D(2026, 12, 31),
    )


@pytest.fixture
def year(clock, par_officer, home_unit, other_unit, unit_editor, quarterly, finding):
    """HOME: 3 tasks (one done on time, one late, one cancelled), 2 of 4 quarterly reports on
    time (one late, one returned), one finding remedied late. OTHER: nothing done."""
    plan = make_plan(
        par_officer,
        tasks=[
            task_values("1", deadline=D(2026, 3, 31)),
            task_values("2", deadline=D(2026, 6, 30)),
            task_values("3", deadline=D(2026, 9, 30)),
            task_values("4", deadline=D(2027, 1, 31)),
        ],
    )
    rows = {
        row.task.code: row
        for row in Progress.objects.filter(task__plan=plan, unit=home_unit).select_related("task")
    }
    _done(rows["1"], unit_editor, D(2026, 3, 30), home_unit)
    _done(rows["2"], unit_editor, D(2026, 7, 2), home_unit)
    services.cancel_progress(by=par_officer, progress=rows["3"], reason="Không còn phù hợp")
    for period, day in (("2026-Q1", D(2026, 3, 15)), ("2026-Q2", D(2026, 6, 16))):
        services.submit_report(
            by=unit_editor,
            report_type=quarterly,
            unit=home_unit,
            period=period,
            submitted_on=day,
            today=D(2026, 12, 31),
        )
    q3 = services.submit_report(
        by=unit_editor,
        report_type=quarterly,
        unit=home_unit,
        period="2026-Q3",
        submitted_on=D(2026, 9, 10),
        today=D(2026, 12, 31),
    )
    services.return_submission(by=par_officer, submission=q3, version=q3.version, reason="Sai")
    services.record_remedied(by=par_officer, finding=finding, remedied_on=D(2026, 7, 3))
    # Not the year's: a draft plan's task and a plan of 2025.
    make_plan(par_officer, "KH-NHAP", issued=False, tasks=[task_values("9")])
    return plan


def test_a_years_rates_count_what_was_due_at_the_date(year, home_unit, other_unit):
    found = rates.year_rates(2026)
    assert found[home_unit.pk] == Rates(
        tasks_due=2,
        tasks_on_time=1,
        tasks_done=2,
        reports_due=4,
        reports_on_time=1,
        findings_due=1,
        findings_remedied=0,
    )
    assert found[other_unit.pk] == Rates(3, 0, 0, 4, 0, 0, 0)


def test_an_earlier_as_of_counts_only_what_was_due_then(year, home_unit):
    found = rates.year_rates(2026, D(2026, 6, 30))
    assert found[home_unit.pk] == Rates(2, 1, 1, 2, 1, 1, 0)


def test_an_extension_moves_the_deadline_that_counts(year, home_unit, par_officer):
    row = Progress.objects.get(task__plan=year, task__code="4", unit=home_unit)
    assert rates.year_rates(2026)[home_unit.pk].tasks_due == 2
    services.update_task(
        by=par_officer,
        task=row.task,
        version=row.task.version,
        values=task_values("4", deadline=D(2026, 12, 1)),
    )
    assert rates.year_rates(2026)[home_unit.pk].tasks_due == 3
    row.refresh_from_db()
    services.extend_progress(by=par_officer, progress=row, until=D(2027, 2, 1), reason="Chờ")
    assert rates.year_rates(2026)[home_unit.pk].tasks_due == 2


def test_a_unit_owes_reports_only_while_it_exists(quarterly, home_unit):
    make_unit("NEW", "SO", active_from=D(2026, 7, 1))
    found = rates.year_rates(2026)
    new = next(pk for pk in found if pk != home_unit.pk and found[pk].reports_due == 2)
    assert found[new].reports_on_time == 0


def test_the_rates_table_has_the_design_header_and_counts(year):
    table = rates.rates_table(2026)
    assert table[0] == [
        "unit_code",
        "tasks_due",
        "tasks_on_time",
        "tasks_done",
        "reports_due",
        "reports_on_time",
        "findings_due",
        "findings_remedied",
    ]
    assert table[1] == ["HOME", 2, 1, 2, 4, 1, 1, 0]
    assert table[2] == ["OTHER", 3, 0, 0, 4, 0, 0, 0]


def test_a_years_rates_take_a_fixed_number_of_queries(year, django_assert_max_num_queries):
    for code in range(20):
        make_unit(f"S{code:02d}", "SO")
    with django_assert_max_num_queries(7):
        found = rates.year_rates(2026)
    assert len(found) == 22


@pytest.mark.parametrize("as_of", [D(2026, 3, 31), D(2026, 6, 30), D(2026, 12, 31)])
def test_the_database_counts_tasks_by_the_engines_rule(par_officer, home_unit, other_unit, as_of):
    """Every mix of status, deadline, extension and completion date: the grouped query gives
    what `engine.task_counts` gives on the same rows."""
    import random

    from parindex import engine
    from parindex.engine.monitoring import task_counts

    plan = make_plan(
        par_officer,
        tasks=[task_values(str(n), deadline=D(2026, 1 + n % 12, 28)) for n in range(24)],
    )
    rng = random.Random(12)
    for row in Progress.objects.filter(task__plan=plan):
        row.status = rng.choice(list(P))
        row.deadline += dt.timedelta(days=rng.choice([0, 0, 3, 40]))  # some extended
        if row.status == P.DONE or rng.random() < 0.8:  # a date on rows not done must not count
            row.completed_on = row.deadline + dt.timedelta(days=rng.randint(-20, 20))
        row.save()
    expected = {
        unit_id: task_counts(
            [
                engine.TaskRow(
                    row.deadline,
                    row.completed_on if row.status == P.DONE else None,
                    row.status == P.CANCELLED,
                )
                for row in Progress.objects.filter(task__plan=plan, unit_id=unit_id)
            ],
            as_of,
        )
        for unit_id in (home_unit.pk, other_unit.pk)
    }
    assert rates.task_counts_by_unit(2026, as_of) == expected
    assert any(counts[0] for counts in expected.values())  # something was due
