"""The data the office's monitoring pages show: plans with their completion, a plan's task
table, one task's units, the completion dashboard. Counting is done by the database in a fixed
number of grouped queries, whatever the number of units (3,500 communes × 60 tasks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from parindex.core import revisions
from parindex.core.vietnamese import sort_key
from parindex.core.vietnamese_sql import words_in
from parindex.monitoring.models import Plan, Progress, Task
from parindex.units.models import Unit, UnitType

S = Progress.Status
OPEN = [S.NOT_STARTED, S.IN_PROGRESS]


def counts(today: dt.date, *, pending: bool = False) -> dict[str, Count]:
    """The counts of progress rows every completion figure is made of (open = total − done);
    `pending`: also those awaiting the office's review."""
    found = {
        "total": Count("id", filter=~Q(status=S.CANCELLED)),
        "done": Count("id", filter=Q(status=S.DONE)),
        "on_time": Count("id", filter=Q(status=S.DONE, completed_on__lte=F("deadline"))),
        "overdue": Count("id", filter=Q(status__in=OPEN, deadline__lt=today)),
    }
    if pending:
        found["pending"] = Count("id", filter=Q(review=Progress.Review.PENDING))
    return found


@dataclass
class Completion:
    """How far some assignments got: done (on time or late), open, overdue."""

    total: int = 0  # assigned and not cancelled
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    pending: int = 0  # done, awaiting the office's review (counted on the plan page only)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Completion:
        return cls(**{name: row.get(name, 0) or 0 for name in cls.__dataclass_fields__})

    def add(self, other: Completion) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def open(self) -> int:
        """Not done yet (not started or in progress)."""
        return self.total - self.done

    def _share(self, part: int) -> float:
        return round(100 * part / self.total, 1) if self.total else 0.0

    @property
    def done_percent(self) -> float:
        return self._share(self.done)

    @property
    def on_time_percent(self) -> float:
        return self._share(self.on_time)

    @property
    def late_percent(self) -> float:
        return self._share(self.done - self.on_time)

    @property
    def overdue_percent(self) -> float:
        return self._share(self.overdue)

    @property
    def waiting_percent(self) -> float:
        return self._share(self.open - self.overdue)


# --- plans -------------------------------------------------------------------------------------


@dataclass
class PlanRow:
    plan: Plan
    tasks: int
    completion: Completion


def plan_rows(plans: QuerySet[Plan], today: dt.date) -> list[PlanRow]:
    """Plans with their number of tasks and completion (three queries)."""
    plan_list = list(plans)
    ids = [plan.pk for plan in plan_list]
    tasks = dict(
        Task.objects.filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(n=Count("id"))
        .values_list("plan_id", "n")
    )
    completion = {
        row["task__plan_id"]: Completion.of(row)
        for row in Progress.objects.filter(task__plan_id__in=ids)
        .values("task__plan_id")
        .annotate(**counts(today, pending=True))
    }
    return [
        PlanRow(plan, tasks.get(plan.pk, 0), completion.get(plan.pk, Completion()))
        for plan in plan_list
    ]


# --- a plan's tasks ----------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    completion: Completion


TASK_SORTS = {
    "code": lambda row: (row.task.position, row.task.code),
    "title": lambda row: sort_key(row.task.title),
    "deadline": lambda row: (row.task.deadline, row.task.position),
    "done": lambda row: (row.completion.done_percent, row.task.position),
    "overdue": lambda row: (-row.completion.overdue, row.task.position),
}
TASK_STATES = ("overdue", "open", "pending", "done")


def task_rows(
    plan: Plan,
    today: dt.date,
    *,
    search: str = "",
    unit: str = "",
    state: str = "",
    sort: str = "code",
) -> list[TaskRow]:
    """A plan's tasks with their units' completion, filtered and sorted (two queries)."""
    tasks = Task.objects.filter(plan=plan)
    progress = Progress.objects.filter(task__plan=plan)
    if search:
        tasks = tasks.filter(words_in(search, "code", "title"))
    if unit:
        progress = progress.filter(Q(unit__code=unit))
        tasks = tasks.filter(progress__unit__code=unit)
    by_task = {
        row["task_id"]: Completion.of(row)
        for row in progress.values("task_id").annotate(**counts(today, pending=True))
    }
    rows = [TaskRow(task, by_task.get(task.pk, Completion())) for task in tasks.distinct()]
    if state in TASK_STATES:
        rows = [row for row in rows if getattr(row.completion, state)]
    key = sort.lstrip("-")
    rows.sort(key=TASK_SORTS.get(key, TASK_SORTS["code"]), reverse=sort.startswith("-"))
    return rows


def task_progress(task: Task, *, state: str = "", search: str = "") -> QuerySet[Progress]:
    """One task's progress rows (one per assigned unit), filtered, by unit code."""
    rows = Progress.objects.filter(task=task).select_related("unit", "evidence")
    if search:
        rows = rows.filter(words_in(search, "unit__code", "unit__name"))
    if state == "open":
        rows = rows.filter(status__in=OPEN)
    elif state in S.values:
        rows = rows.filter(status=state)
    elif state == "pending":
        rows = rows.filter(review=Progress.Review.PENDING)
    return rows.order_by("unit__unit_type__order", "unit__code")


# --- the completion dashboard --------------------------------------------------------------------


@dataclass
class LeadRow:
    """Completion of the tasks one lead (a department, or a tier such as every commune) leads."""

    code: str
    name: str
    tasks: int = 0
    completion: Completion = field(default_factory=Completion)


@dataclass
class UnitRow:
    code: str
    name: str
    unit_type: str
    completion: Completion


@dataclass
class Dashboard:
    year: int
    plans: list[PlanRow]
    total: Completion
    leads: list[LeadRow]
    units: list[dict[str, Any]]  # per unit: unit_id and the counts, sorted; the view pages them


UNIT_SORTS: dict[str, Any] = {
    "overdue": lambda row: (-row["overdue"], row["code"]),
    "done": lambda row: (row["done"] / row["total"] if row["total"] else 1, row["code"]),
    "code": lambda row: row["code"],
}


def dashboard(
    year: int,
    today: dt.date,
    *,
    plan_id: int | None = None,
    unit_type: str = "",
    sort: str = "overdue",
) -> Dashboard:
    """Completion of a year's issued plans: per plan, per lead and per unit, the units in the
    order asked. Counted once per data revision and kept in the shared cache: every recorded
    change (a unit's report, the office's review…) draws a new revision (decision 0023), so
    the office's page shows what is stored, and reloading it costs no recount."""
    key = f"monitoring:completion:{revisions.current()}:{year}:{today}:{plan_id}:{unit_type}"
    board = revisions.cached(
        key, lambda: count_completion(year, today, plan_id=plan_id, unit_type=unit_type)
    )
    board.units.sort(key=UNIT_SORTS.get(sort, UNIT_SORTS["overdue"]))
    return board


def count_completion(
    year: int, today: dt.date, *, plan_id: int | None = None, unit_type: str = ""
) -> Dashboard:
    """The completion counts of `dashboard` (a fixed number of queries whatever the number of
    units: the counts are grouped by task and by unit in the database, then added up here)."""
    plans = Plan.objects.filter(year=year, status=Plan.Status.ISSUED).order_by("code")
    if plan_id:
        plans = plans.filter(pk=plan_id)
    plan_list = list(plans)
    tasks = list(
        Task.objects.filter(plan__in=plan_list).values_list("id", "plan_id", "lead").order_by("id")
    )
    # Task ids first: grouping 200,000 progress rows filtered on them needs no join.
    progress = Progress.objects.filter(task_id__in=[task_id for task_id, _plan, _lead in tasks])
    by_task = {
        row["task_id"]: Completion.of(row)
        for row in progress.values("task_id").annotate(**counts(today)).order_by()
    }
    by_plan: dict[int, Completion] = {plan.pk: Completion() for plan in plan_list}
    task_count: dict[int, int] = dict.fromkeys(by_plan, 0)
    leads: dict[str, LeadRow] = {}
    total = Completion()
    for task_id, plan, lead in tasks:
        completion = by_task.get(task_id, Completion())
        by_plan[plan].add(completion)
        task_count[plan] += 1
        total.add(completion)
        for code in lead:
            row = leads.setdefault(code, LeadRow(code, code))
            row.tasks += 1
            row.completion.add(completion)
    names = dict(Unit.objects.filter(code__in=list(leads)).values_list("code", "name"))
    names.update(UnitType.objects.filter(code__in=list(leads)).values_list("code", "name"))
    for row in leads.values():
        row.name = names.get(row.code, row.code)
    per_unit = progress
    if unit_type:
        per_unit = per_unit.filter(
            unit_id__in=Unit.objects.filter(unit_type__code=unit_type).values("pk")
        )
    units: list[dict[str, Any]] = [
        dict(row) for row in per_unit.values("unit_id").annotate(**counts(today)).order_by()
    ]
    codes = dict(
        Unit.objects.filter(pk__in=[row["unit_id"] for row in units]).values_list("pk", "code")
    )
    for unit_row in units:
        unit_row["code"] = codes.get(unit_row["unit_id"], "")
    return Dashboard(
        year=year,
        plans=[PlanRow(plan, task_count[plan.pk], by_plan[plan.pk]) for plan in plan_list],
        total=total,
        leads=sorted(leads.values(), key=lambda row: (-row.completion.overdue, row.code)),
        units=units,
    )


def unit_rows(page: Any) -> list[UnitRow]:
    """One page of the per-unit counts as UnitRow objects, with the units' names (one query)."""
    rows = list(page)
    units = Unit.objects.select_related("unit_type").in_bulk([row["unit_id"] for row in rows])
    return [
        UnitRow(
            units[row["unit_id"]].code,
            units[row["unit_id"]].name,
            units[row["unit_id"]].unit_type.name,
            Completion.of(row),
        )
        for row in rows
    ]


def year_tasks(year: int) -> list[int]:
    """The ids of the tasks of a year's issued plans (filtering progress on them needs no
    join)."""
    return list(
        Task.objects.filter(plan__year=year, plan__status=Plan.Status.ISSUED).values_list(
            "pk", flat=True
        )
    )


def year_completion(year: int, today: dt.date) -> Completion:
    """The completion of all a year's issued plans together (two queries)."""
    counted = Progress.objects.filter(task_id__in=year_tasks(year)).aggregate(**counts(today))
    return Completion.of(counted)


def pending_reviews() -> list[tuple[Plan, int]]:
    """Issued plans with progress reported done and awaiting the office's review."""
    found = dict(
        Progress.objects.filter(review=Progress.Review.PENDING)
        .values("task__plan_id")
        .annotate(n=Count("id"))
        .values_list("task__plan_id", "n")
    )
    plans = Plan.objects.filter(pk__in=list(found), status=Plan.Status.ISSUED).order_by("code")
    return [(plan, found[plan.pk]) for plan in plans]


def units_at_risk(year: int, today: dt.date, limit: int = 10) -> list[UnitRow]:
    """The units with the most overdue tasks in a year's issued plans (three queries, over the
    open rows past their deadline only)."""
    rows = (
        Progress.objects.filter(task_id__in=year_tasks(year), status__in=OPEN, deadline__lt=today)
        .values("unit_id")
        .annotate(overdue=Count("id"))
        .order_by("-overdue", "unit_id")[:limit]
    )
    return unit_rows(rows)


def years_with_plans() -> list[int]:
    return sorted(set(Plan.objects.values_list("year", flat=True)), reverse=True)
