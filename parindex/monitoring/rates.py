"""The rates of a year at a date for every unit, from the database in a fixed number of queries.

The arithmetic is the engine's (`parindex.engine.unit_rates`); this module only gathers the
plain rows it needs, except for tasks: a national year has 210,000 of them, so the database
counts them per unit by the rule of `engine.task_counts` (`task_counts_by_unit`; a test holds
the two equal). What belongs to year Y: the tasks of the plans of year Y that are issued,
the reporting periods of year Y, and the findings whose remedy deadline falls in year Y. A
report is owed only by units of its types that exist on its due date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from parindex import engine
from parindex.engine import FindingRow, Period, Rates, ReportRow
from parindex.monitoring.models import Finding, Plan, Progress, ReportType, Submission, Task
from parindex.units.models import Unit

RATES_HEADER = [
    "unit_code",
    "tasks_due",
    "tasks_on_time",
    "tasks_done",
    "reports_due",
    "reports_on_time",
    "findings_due",
    "findings_remedied",
]


def default_as_of(year: int) -> dt.date:
    """The day rates of a year are taken at unless told otherwise: 31/12 of the year."""
    return dt.date(year, 12, 31)


@dataclass
class UnitRows:
    """The plain rows behind one unit's rates (its tasks are counted in the database)."""

    reports: list[ReportRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)


def owed_reports(
    report_types: list[tuple[ReportType, set[int], tuple[Period, ...]]], unit: Unit
) -> Iterable[tuple[ReportType, Period]]:
    """The (report type, period) pairs a unit owes: its type sends it and it exists then."""
    for report_type, type_ids, periods in report_types:
        if unit.unit_type_id in type_ids:
            for period in periods:
                if unit.is_active_on(period.due_on):
                    yield report_type, period


def regime(year: int) -> list[tuple[ReportType, set[int], tuple[Period, ...]]]:
    """The report types in force, the unit type ids that send each, and its periods of a year
    (two queries)."""
    return [
        (
            report_type,
            {unit_type.pk for unit_type in report_type.unit_types.all()},
            engine.periods(report_type.frequency, year, report_type.due_day),
        )
        for report_type in ReportType.objects.filter(is_active=True).prefetch_related("unit_types")
    ]


class _Days:
    """ISO date texts to dates, each text parsed once (a year has at most 366 of them):
    reading 200,000 rows, Django's per-row date conversion would cost seconds."""

    def __init__(self) -> None:
        self.cache: dict[str, dt.date] = {}

    def __call__(self, text: str | None) -> dt.date | None:
        if text is None:
            return None
        day = self.cache.get(text)
        if day is None:
            day = self.cache[text] = dt.date.fromisoformat(text[:10])
        return day


def year_progress(year: int) -> QuerySet[Progress]:
    """The progress rows of the tasks of a year's issued plans (the task ids first: filtering
    200,000 progress rows on them needs no join)."""
    tasks = Task.objects.filter(plan__year=year, plan__status=Plan.Status.ISSUED)
    return Progress.objects.filter(task_id__in=list(tasks.values_list("pk", flat=True)))


def task_counts_by_unit(
    year: int, as_of: dt.date, unit_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int, int]]:
    """Per unit id, (due, on time, done by as_of) over its tasks of a year, counted in one
    grouped query by the rule of `engine.task_counts`: due = not cancelled with the (extended)
    deadline on or before as_of; on time = done on or before that deadline; done = done on or
    before as_of (a completion date counts only when the progress is done)."""
    progress = year_progress(year)
    if unit_ids is not None:
        progress = progress.filter(unit_id__in=set(unit_ids))
    due = ~Q(status=Progress.Status.CANCELLED) & Q(deadline__lte=as_of)
    done = due & Q(status=Progress.Status.DONE)
    return {
        row["unit_id"]: (row["due"], row["on_time"], row["done"])
        for row in progress.values("unit_id")
        .annotate(
            due=Count("id", filter=due),
            on_time=Count("id", filter=done & Q(completed_on__lte=F("deadline"))),
            done=Count("id", filter=done & Q(completed_on__lte=as_of)),
        )
        .order_by()
    }


def year_rows(year: int, unit_ids: Iterable[int] | None = None) -> dict[int, UnitRows]:
    """Every unit's report and finding rows of a year (five queries), by unit id."""
    wanted = None if unit_ids is None else set(unit_ids)
    rows: dict[int, UnitRows] = defaultdict(UnitRows)
    day = _Days()
    report_types = regime(year)
    type_ids = set().union(*(ids for _type, ids, _periods in report_types))
    units = Unit.objects.filter(unit_type_id__in=type_ids)
    if wanted is not None:
        units = units.filter(pk__in=wanted)
    submitted = {
        (type_id, unit_id, period): day(on)
        for type_id, unit_id, period, on in Submission.objects.filter(
            report_type_id__in=[row[0].pk for row in report_types],
            period__startswith=str(year),
            status=Submission.Status.SUBMITTED,
        )
        .annotate(on_text=Cast("submitted_on", CharField()))
        .values_list("report_type_id", "unit_id", "period", "on_text")
    }
    report_rows: dict[tuple[dt.date, dt.date | None], ReportRow] = {}
    for unit in units.only("pk", "unit_type_id", "active_from", "active_to"):
        unit_id = unit.pk
        for report_type, period in owed_reports(report_types, unit):
            sent = submitted.get((report_type.id, unit_id, period.code))
            report_key = (period.due_on, sent)
            report = report_rows.get(report_key)
            if report is None:
                report = report_rows[report_key] = ReportRow(period.due_on, sent)
            rows[unit_id].reports.append(report)
    findings = Finding.objects.filter(remedy_deadline__year=year)
    if wanted is not None:
        findings = findings.filter(inspection__unit_id__in=wanted)
    remedied = Finding.Status.REMEDIED
    for unit_id, deadline, status, remedied_on in findings.values_list(
        "inspection__unit_id", "remedy_deadline", "status", "remedied_on"
    ):
        rows[unit_id].findings.append(
            FindingRow(deadline, remedied_on if status == remedied else None)
        )
    return dict(rows)


def year_rates(
    year: int, as_of: dt.date | None = None, unit_ids: Iterable[int] | None = None
) -> dict[int, Rates]:
    """Every unit's rates of a year at `as_of` (31/12 of the year by default), by unit id."""
    as_of = as_of or default_as_of(year)
    wanted = None if unit_ids is None else list(unit_ids)
    tasks = task_counts_by_unit(year, as_of, wanted)
    rows = year_rows(year, wanted)
    found = {}
    for unit_id in tasks.keys() | rows.keys():
        others = rows.get(unit_id) or UnitRows()
        due, on_time, done = tasks.get(unit_id, (0, 0, 0))
        found[unit_id] = replace(
            engine.unit_rates(as_of, (), others.reports, others.findings),
            tasks_due=due,
            tasks_on_time=on_time,
            tasks_done=done,
        )
    return found


# How far a long computation got: (done, total, message), as a background job reports it.
Step = Callable[[int, int, str], None]


def quiet(done: int, total: int, message: str = "") -> None:
    """No one is watching (the command line runs in the foreground)."""


def rates_table(
    year: int, as_of: dt.date | None = None, *, step: Step = quiet
) -> list[list[object]]:
    """The machine CSV of DESIGN.md: header, then one row of counts per unit, by unit code."""
    step(0, 2, _("Reading the tasks, reports and findings of the year…"))
    rates = year_rates(year, as_of)
    step(1, 2, _("Writing the table…"))
    codes = dict(Unit.objects.filter(pk__in=list(rates)).values_list("pk", "code"))
    table: list[list[object]] = [list(RATES_HEADER)]
    for unit_id in sorted(rates, key=lambda pk: codes[pk]):
        counts = rates[unit_id]
        table.append([codes[unit_id], *(getattr(counts, name) for name in RATES_HEADER[1:])])
    return table
