"""Monitoring rates at a date, reporting periods and the answer of a computed leaf."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.engine import (
    EngineError,
    FindingRow,
    Frequency,
    NotApplicable,
    Rates,
    Ratio,
    ReportRow,
    TaskRow,
    computed_answer,
    leaf_points,
    parse_period,
    period_due,
    periods,
    unit_rates,
)
from parindex.engine.tests.builders import branch, leaf, make_set

D = dt.date
AS_OF = D(2026, 12, 31)


@pytest.mark.parametrize(
    ("frequency", "due_day", "expected"),
    [
        (
            "quarterly",
            15,
            [
                ("2026-Q1", D(2026, 3, 15)),
                ("2026-Q2", D(2026, 6, 15)),
                ("2026-Q3", D(2026, 9, 15)),
                ("2026-Q4", D(2026, 12, 15)),
            ],
        ),
        ("half_yearly", 20, [("2026-H1", D(2026, 6, 20)), ("2026-H2", D(2026, 12, 20))]),
        ("yearly", 10, [("2026", D(2026, 12, 10))]),
    ],
    ids=["quarterly-15", "half-yearly-20", "yearly-10"],
)
def test_periods_of_a_year_are_due_on_the_day_of_their_last_month(frequency, due_day, expected):
    assert [
        (period.code, period.due_on) for period in periods(frequency, 2026, due_day)
    ] == expected


def test_monthly_periods_clamp_the_due_day_to_short_months():
    monthly = periods(Frequency.MONTHLY, 2026, 31)
    assert len(monthly) == 12
    assert (monthly[1].code, monthly[1].due_on) == ("2026-02", D(2026, 2, 28))
    assert (monthly[3].code, monthly[3].due_on) == ("2026-04", D(2026, 4, 30))
    assert periods(Frequency.MONTHLY, 2028, 30)[1].due_on == D(2028, 2, 29)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2026-03", (2026, Frequency.MONTHLY, 3)),
        ("2026-Q4", (2026, Frequency.QUARTERLY, 4)),
        ("2026-H2", (2026, Frequency.HALF_YEARLY, 2)),
        ("2026", (2026, Frequency.YEARLY, 1)),
    ],
    ids=["month", "quarter", "half", "year"],
)
def test_period_codes_read_back(code, expected):
    assert parse_period(code) == expected


@pytest.mark.parametrize("code", ["2026-13", "2026-Q5", "26-Q1", "2026-H3", "Q1", "2026-3"])
def test_malformed_periods_are_refused(code):
    with pytest.raises(EngineError, check=lambda exception: exception.code == "invalid_period"):
        parse_period(code)


def test_a_period_of_another_frequency_is_refused():
    assert period_due("2026-Q2", "quarterly", 15) == D(2026, 6, 15)
    with pytest.raises(EngineError, check=lambda exception: exception.code == "period_frequency"):
        period_due("2026-Q2", "monthly", 15)


def test_a_due_day_outside_the_month_is_refused():
    with pytest.raises(EngineError, check=lambda exception: exception.code == "invalid_due_day"):
        periods("monthly", 2026, 0)


TASK_CASES = {
    "done-on-time": ([TaskRow(D(2026, 6, 30), D(2026, 6, 1))], (1, 1, 1)),
    "done-late": ([TaskRow(D(2026, 6, 30), D(2026, 7, 5))], (1, 0, 1)),
    "done-after-as-of": ([TaskRow(D(2026, 6, 30), D(2027, 1, 5))], (1, 0, 0)),
    "not-done": ([TaskRow(D(2026, 6, 30))], (1, 0, 0)),
    "not-due-yet": ([TaskRow(D(2027, 3, 31))], (0, 0, 0)),
    "due-on-as-of": ([TaskRow(AS_OF, AS_OF)], (1, 1, 1)),
    "cancelled": ([TaskRow(D(2026, 6, 30), is_cancelled=True)], (0, 0, 0)),
    "mixed": (
        [
            TaskRow(D(2026, 3, 31), D(2026, 3, 30)),
            TaskRow(D(2026, 9, 30), D(2026, 10, 2)),
            TaskRow(D(2026, 11, 30)),
            TaskRow(D(2026, 11, 30), is_cancelled=True),
        ],
        (3, 1, 2),
    ),
}


@pytest.mark.parametrize(("tasks", "expected"), TASK_CASES.values(), ids=TASK_CASES.keys())
def test_task_rates(tasks, expected):
    rates = unit_rates(AS_OF, tasks=tasks)
    assert (rates.tasks_due, rates.tasks_on_time, rates.tasks_done) == expected


REPORT_CASES = {
    "on-time": ([ReportRow(D(2026, 3, 15), D(2026, 3, 15))], (1, 1)),
    "late": ([ReportRow(D(2026, 3, 15), D(2026, 3, 16))], (1, 0)),
    "missing": ([ReportRow(D(2026, 3, 15))], (1, 0)),
    "not-due": ([ReportRow(D(2027, 1, 15))], (0, 0)),
}


@pytest.mark.parametrize(("reports", "expected"), REPORT_CASES.values(), ids=REPORT_CASES.keys())
def test_report_rates(reports, expected):
    rates = unit_rates(AS_OF, reports=reports)
    assert (rates.reports_due, rates.reports_on_time) == expected


FINDING_CASES = {
    "remedied-in-time": ([FindingRow(D(2026, 5, 1), D(2026, 4, 1))], (1, 1)),
    "remedied-late": ([FindingRow(D(2026, 5, 1), D(2026, 5, 2))], (1, 0)),
    "open": ([FindingRow(D(2026, 5, 1))], (1, 0)),
    "not-due": ([FindingRow(D(2027, 5, 1))], (0, 0)),
}


@pytest.mark.parametrize(("findings", "expected"), FINDING_CASES.values(), ids=FINDING_CASES.keys())
def test_finding_rates(findings, expected):
    rates = unit_rates(AS_OF, findings=findings)
    assert (rates.findings_due, rates.findings_remedied) == expected


COMPUTED = make_set(
    branch(
        "A",
        leaf(
            "A.1",
            2,
            source="computed",
            input="tasks_on_time",
            rule={"type": "proportional"},
            not_applicable="exclude",
        ),
        leaf(
            "A.2",
            1,
            source="computed",
            input="reports_on_time",
            rule={"type": "percent_tiers", "tiers": [{"min_percent": 100, "points": 1}]},
        ),
        leaf(
            "A.3",
            1,
            source="computed",
            input="findings_remedied",
            rule={"type": "proportional"},
            not_applicable="full",
        ),
    )
)


@pytest.mark.parametrize(
    ("code", "rates", "answer", "points"),
    [
        ("A.1", Rates(tasks_due=3, tasks_on_time=2), Ratio(2, 3), Decimal("1.33")),
        ("A.1", Rates(), NotApplicable(), None),
        ("A.2", Rates(reports_due=4, reports_on_time=4), Ratio(4, 4), Decimal("1.00")),
        ("A.2", Rates(reports_due=4, reports_on_time=3), Ratio(3, 4), Decimal("0.00")),
        ("A.2", Rates(), Decimal(1), Decimal("1.00")),
        ("A.3", Rates(), Decimal(1), Decimal("1.00")),
        ("A.3", Rates(findings_due=2, findings_remedied=1), Ratio(1, 2), Decimal("0.50")),
    ],
    ids=[
        "ratio",
        "nothing-due-excluded",
        "all-on-time",
        "below-the-tier",
        "nothing-due-none-full-marks",
        "nothing-due-full",
        "half",
    ],
)
def test_a_computed_leaf_scores_its_ratio_through_its_rule(code, rates, answer, points):
    node = COMPUTED.criterion(code)
    assert computed_answer(node, rates) == answer
    assert leaf_points(node, computed_answer(node, rates)) == points


def test_a_leaf_without_input_is_not_computed():
    node = make_set(branch("A", leaf("A.1"))).criterion("A.1")
    with pytest.raises(EngineError, check=lambda exception: exception.code == "not_computed"):
        computed_answer(node, Rates())


def test_rates_add_up_field_by_field():
    assert Rates(1, 1, 1, 2, 1, 0, 0) + Rates(2, 0, 1, 1, 1, 3, 2) == Rates(3, 1, 2, 3, 2, 3, 2)


days = st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 6, 30))
tasks = st.builds(TaskRow, days, st.none() | days, st.booleans())
reports = st.builds(ReportRow, days, st.none() | days)
findings = st.builds(FindingRow, days, st.none() | days)


@given(st.lists(tasks), st.lists(reports), st.lists(findings), days)
def test_counts_stay_within_what_is_due(task_rows, report_rows, finding_rows, as_of):
    rates = unit_rates(as_of, task_rows, report_rows, finding_rows)
    assert 0 <= rates.tasks_on_time <= rates.tasks_due
    assert 0 <= rates.tasks_done <= rates.tasks_due
    assert 0 <= rates.reports_on_time <= rates.reports_due <= len(report_rows)
    assert 0 <= rates.findings_remedied <= rates.findings_due <= len(finding_rows)
    assert rates.tasks_due == sum(
        1 for row in task_rows if not row.is_cancelled and row.deadline <= as_of
    )


@given(st.lists(tasks), days, days)
def test_a_later_as_of_never_has_fewer_tasks_due_or_done(task_rows, first, second):
    early, late = sorted((first, second))
    before, after = unit_rates(early, task_rows), unit_rates(late, task_rows)
    assert before.tasks_due <= after.tasks_due
    assert before.tasks_done <= after.tasks_done


@given(st.lists(tasks, min_size=1), days)
def test_on_time_tasks_are_done_by_as_of(task_rows, as_of):
    rates = unit_rates(as_of, task_rows)
    assert rates.tasks_on_time <= rates.tasks_done
