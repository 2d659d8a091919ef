"""Monitoring rates at a date: tasks, reports and findings due, and how many were on time.

DESIGN.md "Monitoring" is the contract. For one unit and a day `as_of`:

- tasks due = its assigned, not cancelled tasks whose (extended) deadline is on or before
  `as_of`; `tasks_on_time` counts those done with `completed_on` ≤ deadline, `tasks_done` those
  done with `completed_on` ≤ `as_of`;
- reports due = the periods of its report types whose due date is on or before `as_of`;
  `reports_on_time` counts those submitted on or before the due date;
- findings due = findings whose remedy deadline is on or before `as_of`; `findings_remedied`
  counts those remedied (as verified by the office) on or before the deadline.

A computed leaf scores `Ratio(on time, due)` through its rule; with nothing due it is excluded
when its N/A policy is `exclude`, and scores its maximum otherwise (`computed_answer`).
Callers pass plain rows in (dates, not models), so the same function serves the pages, the CLI,
the results and the benchmarks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum

from parindex.engine.answers import Answer, NotApplicable, Ratio
from parindex.engine.errors import fail
from parindex.engine.model import Criterion, Metric, NAPolicy


class Frequency(StrEnum):
    """How often a report of the reporting regime is due."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


# Months per period, and how a period's code is written after the year.
_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period (`2026-03`, `2026-Q1`, `2026-H1`, `2026`) and the day it is due."""

    due_on: dt.date
    code: str
    frequency: Frequency


def due_date(year: int, last_month: int, due_day: int) -> dt.date:
    """Day `due_day` of a period's last month (the month's last day when it is shorter)."""
    days = calendar.monthrange(year, last_month)[1]
    return dt.date(year, last_month, min(due_day, days))


def _code(frequency: Frequency, year: int, index: int) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{year}-{index:02d}"
    if frequency == Frequency.QUARTERLY:
        return f"{year}-Q{index}"
    if frequency == Frequency.HALF_YEARLY:
        return f"{year}-H{index}"
    return str(year)


def periods(frequency: Frequency | str, year: int, due_day: int) -> tuple[Period, ...]:
    """Every period of a year for a frequency, in order, with its due date.

    Quarterly with due day 15 gives 15/03, 15/06, 15/09 and 15/12.
    """
    frequency = Frequency(frequency)
    if not 1 <= due_day <= 31:
        raise fail("invalid_due_day", "", value=due_day)
    months = _MONTHS[frequency]
    return tuple(
        Period(due_date(year, index * months, due_day), _code(frequency, year, index), frequency)
        for index in range(1, 12 // months + 1)
    )


def parse_period(code: str) -> tuple[int, Frequency, int]:
    """(year, frequency, index within the year) of a period code; EngineError if malformed."""
    match = _PERIOD.match(code.strip())
    if match is None:
        raise fail("invalid_period", "", value=code)
    year = int(match[1])
    if match[2]:
        month = int(match[2])
        if not 1 <= month <= 12:
            raise fail("invalid_period", "", value=code)
        return year, Frequency.MONTHLY, month
    if match[3]:
        return year, Frequency.QUARTERLY, int(match[3])
    if match[4]:
        return year, Frequency.HALF_YEARLY, int(match[4])
    return year, Frequency.YEARLY, 1


def period_due(code: str, frequency: Frequency | str, due_day: int) -> dt.date:
    """The due date of one period of a report type; EngineError when the code does not match
    the type's frequency (`2026-Q1` for a monthly report)."""
    year, found, index = parse_period(code)
    if found != Frequency(frequency):
        raise fail("period_frequency", "", value=code, frequency=str(frequency))
    return due_date(year, index * _MONTHS[found], due_day)


# --- rows in ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task assigned to a unit: its deadline (the extended one, if any) and completion."""

    deadline: dt.date
    completed_on: dt.date | None = None  # set only when the unit's progress is `done`
    is_cancelled: bool = False


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A report a unit owes for one period: the due date and when it was (validly) submitted."""

    due_on: dt.date
    submitted_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FindingRow:
    """An inspection finding: the remedy deadline and the verified remedy date, if any."""

    deadline: dt.date
    remedied_on: dt.date | None = None


# --- rates out ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rates:
    """A unit's counts at a date (the machine CSV's columns)."""

    tasks_due: int = 0
    tasks_on_time: int = 0
    tasks_done: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    findings_due: int = 0
    findings_remedied: int = 0

    def ratio(self, metric: Metric | str) -> tuple[int, int]:
        """(numerator, denominator) of one metric: e.g. (tasks on time, tasks due)."""
        metric = Metric(metric)
        if metric == Metric.TASKS_ON_TIME:
            return self.tasks_on_time, self.tasks_due
        if metric == Metric.TASKS_DONE:
            return self.tasks_done, self.tasks_due
        if metric == Metric.REPORTS_ON_TIME:
            return self.reports_on_time, self.reports_due
        return self.findings_remedied, self.findings_due

    def __add__(self, other: Rates) -> Rates:
        return Rates(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def task_counts(tasks: Iterable[TaskRow], as_of: dt.date) -> tuple[int, int, int]:
    """(due, on time, done by as_of) over a unit's tasks."""
    due = on_time = done = 0
    for task in tasks:
        if task.is_cancelled or task.deadline > as_of:
            continue
        due += 1
        if task.completed_on is not None:
            on_time += task.completed_on <= task.deadline
            done += task.completed_on <= as_of
    return due, on_time, done


def report_counts(reports: Iterable[ReportRow], as_of: dt.date) -> tuple[int, int]:
    """(due, on time) over a unit's reports."""
    due = on_time = 0
    for report in reports:
        if report.due_on > as_of:
            continue
        due += 1
        on_time += report.submitted_on is not None and report.submitted_on <= report.due_on
    return due, on_time


def finding_counts(findings: Iterable[FindingRow], as_of: dt.date) -> tuple[int, int]:
    """(due, remedied on time) over a unit's findings."""
    due = remedied = 0
    for finding in findings:
        if finding.deadline > as_of:
            continue
        due += 1
        remedied += finding.remedied_on is not None and finding.remedied_on <= finding.deadline
    return due, remedied


def unit_rates(
    as_of: dt.date,
    tasks: Iterable[TaskRow] = (),
    reports: Iterable[ReportRow] = (),
    findings: Iterable[FindingRow] = (),
) -> Rates:
    """A unit's rates at `as_of` from its tasks, reports and findings."""
    tasks_due, tasks_on_time, tasks_done = task_counts(tasks, as_of)
    reports_due, reports_on_time = report_counts(reports, as_of)
    findings_due, findings_remedied = finding_counts(findings, as_of)
    return Rates(
        tasks_due=tasks_due,
        tasks_on_time=tasks_on_time,
        tasks_done=tasks_done,
        reports_due=reports_due,
        reports_on_time=reports_on_time,
        findings_due=findings_due,
        findings_remedied=findings_remedied,
    )


def computed_answer(node: Criterion, rates: Rates) -> Answer:
    """The answer of a computed leaf: the exact ratio of its input; nothing due → N/A when the
    leaf is excluded then, else its maximum (the unit cannot be blamed for what was not due)."""
    if node.input is None:
        raise fail("not_computed", node.code)
    numerator, denominator = rates.ratio(node.input)
    if denominator:
        return Ratio(numerator, denominator)
    if node.not_applicable == NAPolicy.EXCLUDE:
        return NotApplicable()
    return Decimal(node.max_points)
