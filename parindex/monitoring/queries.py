"""Reads for monitoring: who may see which plan, task, report and finding; lead codes to units;
the lists and dashboards of the pages (each in a bounded number of queries)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.core.vietnamese_sql import words_in
from parindex.monitoring.models import (
    Finding,
    Inspection,
    Plan,
    Progress,
    ReportType,
    Submission,
    Task,
)
from parindex.units.models import Unit, UnitType


class LeadResolver:
    """Turns a task's lead codes (unit codes and unit type codes) into units, loading the
    registry once: a type code means every unit of that type active on the day."""

    def __init__(self) -> None:
        self._loaded = False
        self._cache: dict[tuple[tuple[str, ...], dt.date], list[Unit]] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        units = list(Unit.objects.select_related("unit_type").order_by("code"))
        self.by_code = {unit.code: unit for unit in units}
        self.by_type: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_type[unit.unit_type.code].append(unit)
        self.type_codes = set(UnitType.objects.values_list("code", flat=True))
        self._loaded = True

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes that name neither a unit nor a unit type, in the order given."""
        self._load()
        return [code for code in codes if code not in self.by_code and code not in self.type_codes]

    def is_type(self, code: str) -> bool:
        self._load()
        return code not in self.by_code and code in self.type_codes

    def units(self, codes: Iterable[str], day: dt.date) -> list[Unit]:
        """The units the codes name that are active on `day` (a unit code wins over a type's)."""
        self._load()
        key = (tuple(codes), day)
        if key not in self._cache:
            found: dict[int, Unit] = {}
            for code in key[0]:
                named = [self.by_code[code]] if code in self.by_code else self.by_type.get(code, [])
                for unit in named:
                    if unit.is_active_on(day):
                        found[unit.pk] = unit
            self._cache[key] = sorted(found.values(), key=lambda unit: unit.code)
        return self._cache[key]


# --- permission-aware getters -------------------------------------------------------------------


def require(user: AnyUser, perm: str, obj: Any = None) -> None:
    """403 unless the user holds the permission."""
    if not permissions.has(user, perm, obj):
        raise PermissionDenied


def get_plan_for_reader(user: AnyUser, pk: int) -> Plan:
    """A plan the office, the council or the leaders may read (drafts: the office only)."""
    require(user, "view_plans")
    plan = get_object_or_404(Plan, pk=pk)
    if not plan.is_issued and not permissions.has(user, "manage_monitoring"):
        raise Http404
    return plan


def get_plan_for_office(user: AnyUser, pk: int) -> Plan:
    """A plan the PAR office manages (403 for anyone else)."""
    require(user, "manage_monitoring")
    return get_object_or_404(Plan, pk=pk)


def get_task_for_office(user: AnyUser, pk: int) -> Task:
    require(user, "manage_monitoring")
    return get_object_or_404(Task.objects.select_related("plan"), pk=pk)


def get_progress_for_reader(user: AnyUser, pk: int) -> Progress:
    """A unit's progress on a task: the office; the council, the leaders and the unit's own
    officers once the plan is issued; 404 for other units' officers, so nothing leaks."""
    progress = get_object_or_404(
        Progress.objects.select_related("task__plan", "unit", "evidence"), pk=pk
    )
    if not permissions.has(user, "manage_monitoring"):
        _check_scope(user, progress.unit_id, is_visible=progress.task.plan.is_issued)
    return progress


def get_progress_for_unit(user: AnyUser, pk: int) -> Progress:
    """A progress row the user reports for their own unit (404 for any other unit's)."""
    require(user, "unit_work")
    progress = get_object_or_404(
        Progress.objects.select_related("task__plan", "unit", "evidence"),
        pk=pk,
        unit_id__in=permissions.unit_ids(user),
        task__plan__status=Plan.Status.ISSUED,
    )
    return progress


def get_progress_for_office(user: AnyUser, pk: int) -> Progress:
    require(user, "manage_monitoring")
    return get_object_or_404(Progress.objects.select_related("task__plan", "unit"), pk=pk)


def get_submission_for_office(user: AnyUser, pk: int) -> Submission:
    require(user, "manage_monitoring")
    return get_object_or_404(Submission.objects.select_related("report_type", "unit"), pk=pk)


def get_inspection_for_reader(user: AnyUser, pk: int) -> Inspection:
    """An inspection: the office, council and leaders, and the inspected unit (404 for others)."""
    inspection = get_object_or_404(
        Inspection.objects.select_related("unit", "plan", "minutes"), pk=pk
    )
    _check_scope(user, inspection.unit_id)
    return inspection


def _check_scope(user: AnyUser, unit_id: int, *, is_visible: bool = True) -> None:
    """Readers of every unit pass; a unit's own officers pass; another unit's officers get a
    404 (the row's existence must not leak); anyone else a 403."""
    if permissions.has(user, "view_plans") and is_visible:
        return
    if unit_id in permissions.unit_ids(user) and is_visible:
        return
    if permissions.has(user, "unit_work"):
        raise Http404
    raise PermissionDenied


def get_finding_for_reader(user: AnyUser, pk: int) -> Finding:
    """A finding: the office, council and leaders, and the inspected unit's officers."""
    finding = get_object_or_404(
        Finding.objects.select_related("inspection__unit", "inspection__minutes", "evidence"),
        pk=pk,
    )
    _check_scope(user, finding.inspection.unit_id)
    return finding


def get_finding_for_unit(user: AnyUser, pk: int) -> Finding:
    """A finding of the user's own unit (404 for any other unit's)."""
    require(user, "unit_work")
    return get_object_or_404(
        Finding.objects.select_related("inspection__unit", "evidence"),
        pk=pk,
        inspection__unit_id__in=permissions.unit_ids(user),
    )


def get_finding_for_office(user: AnyUser, pk: int) -> Finding:
    require(user, "manage_monitoring")
    return get_object_or_404(Finding.objects.select_related("inspection__unit"), pk=pk)


# --- a unit's work -------------------------------------------------------------------------------


def progress_of_units(unit_ids: Iterable[int]) -> Any:
    """The progress rows of some units on the tasks of issued plans, open ones first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        Progress.objects.filter(unit_id__in=list(unit_ids), task__plan__status=Plan.Status.ISSUED)
        .select_related("task__plan", "unit", "evidence")
        .annotate(
            closed=Case(
                When(
                    status__in=[Progress.Status.NOT_STARTED, Progress.Status.IN_PROGRESS],
                    then=Value(0),
                ),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "deadline", "task__plan__code", "task__position")
    )


@dataclass
class CalendarRow:
    """One report a unit owes for one period, and what became of it."""

    report_type: ReportType
    period: engine.Period
    submission: Submission | None
    state: str  # on_time, late, returned, missing, due, upcoming

    @property
    def label(self) -> str:
        return str(CALENDAR_STATES[self.state])


CALENDAR_STATES = {
    "on_time": _("Sent on time"),
    "late": _("Sent late"),
    "returned": _("Returned for quality"),
    "missing": _("Not sent (overdue)"),
    "due": _("Due soon"),
    "upcoming": _("Upcoming"),
}


def calendar_state(due_on: dt.date, submission: Submission | None, today: dt.date) -> str:
    """What a report of a period is now: sent on time or late, returned, missing, due, upcoming."""
    if submission is not None and submission.status == Submission.Status.RETURNED:
        return "returned"
    if submission is not None:
        return "on_time" if submission.submitted_on <= due_on else "late"
    if due_on < today:
        return "missing"
    return "due" if (due_on - today).days <= 7 else "upcoming"


def unit_calendar(unit: Unit, year: int, today: dt.date) -> list[CalendarRow]:
    """Every report the unit owes in a year, by due date, with its submission (three queries)."""
    types = list(
        ReportType.objects.filter(is_active=True, unit_types=unit.unit_type_id).order_by("code")
    )
    submissions = {
        (row.report_type_id, row.period): row
        for row in Submission.objects.filter(
            unit=unit, report_type__in=types, period__startswith=str(year)
        ).select_related("document")
    }
    rows = []
    for report_type in types:
        for period in engine.periods(report_type.frequency, year, report_type.due_day):
            if not unit.is_active_on(period.due_on):
                continue
            submission = submissions.get((report_type.pk, period.code))
            rows.append(
                CalendarRow(
                    report_type,
                    period,
                    submission,
                    calendar_state(period.due_on, submission, today),
                )
            )
    rows.sort(key=lambda row: (row.period.due_on, row.report_type.code))
    return rows


def findings_of_units(unit_ids: Iterable[int]) -> Any:
    """The findings of inspections of some units, open ones first, by deadline."""
    return (
        Finding.objects.filter(inspection__unit_id__in=list(unit_ids))
        .select_related("inspection__unit", "evidence")
        .order_by("status", "remedy_deadline", "inspection__code", "code")
    )


def history(obj: Any) -> Any:
    """The audit entries of one row, newest first."""
    from parindex.core import history as audit_history
    from parindex.core.models import AuditEntry

    return audit_history.describe(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).select_related("actor")
    )


def readable_units(user: AnyUser) -> Any:
    """The units whose monitoring data a user may open: all for readers, else their own."""
    units = Unit.objects.select_related("unit_type").order_by("unit_type__order", "code")
    if permissions.has(user, "view_plans"):
        return units
    return units.filter(pk__in=permissions.unit_ids(user))


def get_unit_for_reader(user: AnyUser, pk: int | None) -> Unit:
    """A unit whose calendar the user may see (404 for another unit's officer)."""
    units = readable_units(user)
    if pk is None:
        unit = units.filter(pk__in=permissions.unit_ids(user)).first() or units.first()
        if unit is None:
            raise PermissionDenied
        return unit
    return get_object_or_404(units, pk=pk)


def get_task_for_reader(user: AnyUser, pk: int) -> Task:
    """A task of a plan the user may read (drafts: the office only)."""
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    get_plan_for_reader(user, task.plan_id)
    return task


def unit_types() -> list[UnitType]:
    """The unit types the dashboard filters on (every type: a handful of rows)."""
    return list(UnitType.objects.order_by("order"))


# --- the reporting regime -------------------------------------------------------------------------


@dataclass
class ReportTypeRow:
    report_type: ReportType
    unit_types: list[str]
    due: int  # reports due so far this year (units × periods due by today)
    on_time: int
    returned: int

    @property
    def on_time_percent(self) -> float:
        return round(100 * self.on_time / self.due, 1) if self.due else 0.0


def report_type_rows(year: int, today: dt.date) -> list[ReportTypeRow]:
    """Report types with how many reports were due so far in the year and sent on time."""

    types = list(ReportType.objects.prefetch_related("unit_types").order_by("code"))
    type_ids = {unit_type.pk for row in types for unit_type in row.unit_types.all()}
    units = list(
        Unit.objects.filter(unit_type_id__in=type_ids).only(
            "pk", "unit_type_id", "active_from", "active_to"
        )
    )
    sent: dict[int, Mapping[str, Any]] = {
        row["report_type_id"]: row
        for row in Submission.objects.filter(period__startswith=str(year), due_on__lte=today)
        .values("report_type_id")
        .annotate(
            on_time=Count(
                "id", filter=Q(status=Submission.Status.SUBMITTED, submitted_on__lte=F("due_on"))
            ),
            returned=Count("id", filter=Q(status=Submission.Status.RETURNED)),
        )
    }
    rows = []
    for report_type in types:
        ids = {unit_type.pk for unit_type in report_type.unit_types.all()}
        due = 0
        if report_type.is_active:
            for period in engine.periods(report_type.frequency, year, report_type.due_day):
                if period.due_on <= today:
                    due += sum(
                        1
                        for unit in units
                        if unit.unit_type_id in ids and unit.is_active_on(period.due_on)
                    )
        counts = sent.get(report_type.pk, {})
        rows.append(
            ReportTypeRow(
                report_type,
                [unit_type.code for unit_type in report_type.unit_types.all()],
                due,
                counts.get("on_time", 0),
                counts.get("returned", 0),
            )
        )
    return rows


@dataclass
class SheetRow:
    unit: Unit
    submission: Submission | None
    state: str

    @property
    def label(self) -> str:
        return str(CALENDAR_STATES[self.state])


def period_sheet(
    today: dt.date, *, report: str = "", period: str = "", state: str = "", search: str = ""
) -> tuple[ReportType | None, list[engine.Period], list[SheetRow]]:
    """One report type and period: every unit that owes it and what it sent (three queries)."""

    types = ReportType.objects.filter(is_active=True).order_by("code")
    report_type = types.filter(code=report).first() or types.first()
    if report_type is None:
        return None, [], []
    periods = [
        found
        for year in (today.year - 1, today.year)
        for found in engine.periods(report_type.frequency, year, report_type.due_day)
    ]
    chosen = next((row for row in periods if row.code == period), None)
    if chosen is None:
        past = [row for row in periods if row.due_on <= today]
        chosen = past[-1] if past else periods[0]
    units = Unit.objects.filter(unit_type__in=report_type.unit_types.all()).order_by(
        "unit_type__order", "code"
    )
    if search:
        units = units.filter(words_in(search, "code", "name"))
    submissions = {
        row.unit_id: row
        for row in Submission.objects.filter(
            report_type=report_type, period=chosen.code
        ).select_related("document")
    }
    rows = []
    for unit in units:
        if not unit.is_active_on(chosen.due_on):
            continue
        submission = submissions.get(unit.pk)
        row = SheetRow(unit, submission, calendar_state(chosen.due_on, submission, today))
        if not state or row.state == state:
            rows.append(row)
    chosen_index = periods.index(chosen)
    periods.insert(0, periods.pop(chosen_index))  # the chosen one first in the picker
    return report_type, periods, rows


# --- inspections --------------------------------------------------------------------------------


def inspection_rows(*, search: str = "", year: str = "", state: str = "") -> Any:
    """Inspections with their findings counted: total, remedied, open past the deadline."""
    from django.utils import timezone

    today = timezone.localdate()
    rows = Inspection.objects.select_related("unit", "plan").annotate(
        finding_count=Count("findings"),
        remedied=Count("findings", filter=Q(findings__status=Finding.Status.REMEDIED)),
        overdue=Count(
            "findings",
            filter=~Q(findings__status=Finding.Status.REMEDIED)
            & Q(findings__remedy_deadline__lt=today),
        ),
    )
    if search:
        rows = rows.filter(words_in(search, "code", "unit__code", "unit__name"))
    if year.isdigit():
        rows = rows.filter(inspected_on__year=int(year))
    if state == "overdue":
        rows = rows.filter(overdue__gt=0)
    elif state == "open":
        rows = rows.exclude(finding_count=F("remedied"))
    return rows.order_by("-inspected_on", "code")


# --- rates --------------------------------------------------------------------------------------


@dataclass
class RateRow:
    unit: Unit
    rates: engine.Rates

    def percent(self, metric: str) -> float | None:
        numerator, denominator = self.rates.ratio(metric)
        return round(100 * numerator / denominator, 1) if denominator else None

    @property
    def tasks_on_time_percent(self) -> float | None:
        return self.percent("tasks_on_time")

    @property
    def tasks_done_percent(self) -> float | None:
        return self.percent("tasks_done")

    @property
    def reports_on_time_percent(self) -> float | None:
        return self.percent("reports_on_time")

    @property
    def findings_remedied_percent(self) -> float | None:
        return self.percent("findings_remedied")


def rate_rows(year: int, as_of: dt.date, *, search: str = "") -> list[RateRow]:
    """Every unit's rates of a year at a date, by unit type and code (a fixed number of queries)."""
    from parindex.monitoring.rates import year_rates

    found = year_rates(year, as_of)
    units = Unit.objects.filter(pk__in=list(found)).select_related("unit_type")
    if search:
        units = units.filter(words_in(search, "code", "name"))
    return [RateRow(unit, found[unit.pk]) for unit in units.order_by("unit_type__order", "code")]
