"""Writes for plans and tasks: create, edit, issue, clone; each assigned unit's progress, the
office's review, extensions, cancellations and urging (đôn đốc)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.assessments.models import Evidence
from parindex.core import audit
from parindex.core.formatting import format_date
from parindex.core.refusals import Problems
from parindex.monitoring import queries
from parindex.monitoring.models import Plan, Progress, Task
from parindex.monitoring.services.common import (
    Refused,
    locked_save,
    site_language,
    tell_units,
)

P = Progress.Status
R = Progress.Review

PLAN_FIELDS = ("title", "kind", "legal_basis", "year")
TASK_FIELDS = ("code", "title", "lead", "coordinating", "deadline", "product", "criterion_codes")


@dataclass(frozen=True)
class TaskValues:
    """A task as typed in the form or read from a file (codes already split and trimmed)."""

    code: str
    title: str
    lead: tuple[str, ...]
    deadline: dt.date
    coordinating: tuple[str, ...] = ()
    product: str = ""
    criterion_codes: tuple[str, ...] = ()
    origin: dict[str, Any] | None = None

    def as_fields(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "lead": list(self.lead),
            "coordinating": list(self.coordinating),
            "deadline": self.deadline,
            "product": self.product,
            "criterion_codes": list(self.criterion_codes),
        }


# --- plans -------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    by: User | None,
    code: str,
    year: int,
    title: str,
    kind: str = Plan.Kind.YEARLY,
    legal_basis: str = "",
    source_round: Any = None,
) -> Plan:
    """A new draft plan (its tasks are added, imported or drafted next)."""
    code = code.strip()
    problems = Problems()
    if not code:
        problems.add(_("Give the plan a code."), code="plan.no_code")
    elif Plan.objects.filter(code=code).exists():
        problems.add(
            _("A plan with the code %(code)s already exists.") % {"code": code},
            code="plan.code_taken",
        )
    if not title.strip():
        problems.add(_("Give the plan a title."), code="plan.no_title")
    if not 2000 <= year <= 2200:
        problems.add(_("%(year)s is not a year.") % {"year": year}, code="plan.bad_year")
    if problems:
        raise Refused(problems.texts, code="plan.invalid", codes=problems.codes)
    plan = Plan.objects.create(
        code=code,
        year=year,
        title=title.strip(),
        kind=kind,
        legal_basis=legal_basis.strip(),
        source_round=source_round,
    )
    audit.record(
        plan,
        "plan.created",
        by=by,
        new={"code": code, "year": year, "title": plan.title, "kind": kind},
    )
    return plan


@transaction.atomic
def update_plan(*, by: User, plan: Plan, version: int, values: dict[str, Any]) -> Plan:
    """Change a plan's title, kind, legal basis or year."""
    values = {key: values[key] for key in PLAN_FIELDS if key in values}
    old, new = audit.changes(plan, list(values), values)
    if not new:
        return plan
    for key, value in values.items():
        setattr(plan, key, value)
    locked_save(plan, version, [*values, "updated_at"])
    audit.record(plan, "plan.updated", by=by, old=old, new=new)
    return plan


@transaction.atomic
def issue_plan(*, by: User | None, plan: Plan, issued_on: dt.date, legal_basis: str = "") -> Plan:
    """Issue a draft plan: its units see their tasks and report progress from now on."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_issued:
        raise Refused(_("The plan is already issued."), code="plan.already_issued")
    if not plan.tasks.exists():
        raise Refused(_("Add at least one task before issuing the plan."), code="plan.no_tasks")
    plan.status = Plan.Status.ISSUED
    plan.issued_on = issued_on
    if legal_basis.strip():
        plan.legal_basis = legal_basis.strip()
    plan.version += 1
    plan.save(update_fields=["status", "issued_on", "legal_basis", "version", "updated_at"])
    audit.record(
        plan,
        "plan.issued",
        by=by,
        old="draft",
        new={"status": "issued", "issued_on": issued_on, "legal_basis": plan.legal_basis},
    )
    unit_ids = set(Progress.objects.filter(task__plan=plan).values_list("unit_id", flat=True))
    with site_language():
        tell_units(
            unit_ids,
            subject=_("New plan issued: %(plan)s") % {"plan": plan.title},
            body=_(
                "The plan %(plan)s assigns tasks to your unit. Report the progress of each "
                "task, with its product, by its deadline."
            )
            % {"plan": plan.title},
            url=reverse("monitoring:mine"),
        )
    return plan


def _shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29/02 becomes 28/02 in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def clone_plan(*, by: User, plan: Plan, code: str, year: int, title: str) -> Plan:
    """A draft copy of a plan for another year: the same tasks, deadlines moved by the years."""
    clone = create_plan(by=by, code=code, year=year, title=title, kind=plan.kind, legal_basis="")
    years = year - plan.year
    for task in plan.tasks.order_by("position", "code"):
        add_task(
            by=by,
            plan=clone,
            values=TaskValues(
                code=task.code,
                title=task.title,
                lead=tuple(task.lead),
                coordinating=tuple(task.coordinating),
                deadline=_shift_year(task.deadline, years),
                product=task.product,
                criterion_codes=tuple(task.criterion_codes),
            ),
            record=False,
        )
    audit.record(clone, "plan.cloned", by=by, new={"from": plan.code, "tasks": clone.tasks.count()})
    return clone


# --- tasks -------------------------------------------------------------------------------------


def check_task(
    values: TaskValues, *, plan: Plan, task: Task | None = None, resolver: Any = None
) -> Problems:
    """Every problem with a task's values (codes that name no unit or type, a taken code…)."""
    problems = Problems()
    if not values.code:
        problems.add(_("Give the task a code."), code="task.no_code")
    elif (
        Task.objects.filter(plan=plan, code=values.code)
        .exclude(pk__in=[task.pk] if task else [])
        .exists()
    ):
        problems.add(
            _("The plan already has a task with the code %(code)s.") % {"code": values.code},
            code="task.code_taken",
        )
    if not values.title.strip():
        problems.add(_("Give the task a title."), code="task.no_title")
    if not values.lead:
        problems.add(_("Name the lead: unit codes and/or unit type codes."), code="task.no_lead")
    resolver = resolver or queries.LeadResolver()
    unknown = resolver.unknown([*values.lead, *values.coordinating])
    if unknown:
        problems.add(
            _("No unit or unit type has the code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
            code="task.unknown_codes",
        )
    elif values.lead and not resolver.units(values.lead, values.deadline):
        problems.add(
            _("No unit named in the lead is active on the deadline %(date)s.")
            % {"date": format_date(values.deadline)},
            code="task.lead_inactive",
        )
    return problems


def _sync_progress(task: Task, resolver: Any = None) -> tuple[int, int]:
    """Give every unit the lead names its progress row; take away untouched rows of units it
    no longer names (rows with reported work are cancelled instead, with the reason).

    Returns (added, removed or cancelled)."""
    resolver = resolver or queries.LeadResolver()
    wanted = {unit.pk for unit in resolver.units(task.lead, task.deadline)}
    current = {row.unit_id: row for row in Progress.objects.filter(task=task)}
    Progress.objects.bulk_create(
        [
            Progress(task=task, unit_id=unit_id, deadline=task.deadline)
            for unit_id in sorted(wanted - set(current))
        ],
        batch_size=1000,
    )
    gone = [row for unit_id, row in current.items() if unit_id not in wanted]
    untouched = [
        row.pk
        for row in gone
        if row.status == P.NOT_STARTED and not row.reported_at and not row.extended_until
    ]
    Progress.objects.filter(pk__in=untouched).delete()
    Progress.objects.filter(pk__in=[row.pk for row in gone if row.pk not in untouched]).exclude(
        status=P.CANCELLED
    ).update(
        status=P.CANCELLED,
        cancel_reason=_("The unit is no longer named in the task's lead."),
        updated_at=timezone.now(),
    )
    # The task's deadline counts unless a unit was given a later day.
    Progress.objects.filter(task=task, extended_until__isnull=True).exclude(
        deadline=task.deadline
    ).update(deadline=task.deadline)
    for row in Progress.objects.filter(task=task, extended_until__isnull=False):
        deadline = max(row.extended_until, task.deadline)  # type: ignore[type-var]
        if row.deadline != deadline:
            Progress.objects.filter(pk=row.pk).update(deadline=deadline)
    return len(wanted - set(current)), len(gone)


@transaction.atomic
def add_task(
    *, by: User | None, plan: Plan, values: TaskValues, resolver: Any = None, record: bool = True
) -> Task:
    """Add a task at the end of a plan; each unit its lead names gets its progress."""
    if problems := check_task(values, plan=plan, resolver=resolver):
        raise Refused(problems.texts, code="task.invalid", codes=problems.codes)
    position = (
        plan.tasks.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    task = Task.objects.create(
        plan=plan, position=position, origin=values.origin, **values.as_fields()
    )
    _sync_progress(task, resolver)
    if record:
        audit.record(task, "task.added", by=by, new={"plan": plan.code, **values.as_fields()})
    return task


@transaction.atomic
def update_task(
    *, by: User | None, task: Task, version: int, values: TaskValues, resolver: Any = None
) -> Task:
    """Change a task; the units its lead names and the deadlines that count follow."""
    if problems := check_task(values, plan=task.plan, task=task, resolver=resolver):
        raise Refused(problems.texts, code="task.invalid", codes=problems.codes)
    fields = values.as_fields()
    old, new = audit.changes(task, list(fields), fields)
    if not new:
        return task
    for key, value in fields.items():
        setattr(task, key, value)
    locked_save(task, version, [*fields, "updated_at"])
    _sync_progress(task, resolver)
    audit.record(task, "task.changed", by=by, old=old, new=new)
    return task


@transaction.atomic
def delete_task(*, by: User, task: Task, reason: str) -> None:
    """Take a task out of a plan while no unit has reported on it."""
    if task.progress.exclude(reported_at=None).exists():
        raise Refused(
            _("Units have reported on this task; cancel it for them instead."),
            code="task.has_reports",
        )
    audit.record(
        task,
        "task.deleted",
        by=by,
        old={"plan": task.plan.code, "code": task.code, "title": task.title},
        reason=reason,
    )
    task.delete()


# --- a unit's progress -------------------------------------------------------------------------


def _url(progress: Progress) -> str:
    return reverse("monitoring:progress", args=[progress.pk])


@transaction.atomic
def report_progress(
    *,
    by: User,
    progress: Progress,
    version: int,
    status: str,
    completed_on: dt.date | None = None,
    evidence: Evidence | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Progress:
    """The unit reports a task's progress; `done` needs the completion day and the product (a
    document of the unit's library) and goes to the office for review."""
    today = today or timezone.localdate()
    if not progress.task.plan.is_issued:
        raise Refused(_("The plan is not issued yet."), code="plan.not_issued")
    if progress.status == P.CANCELLED:
        raise Refused(
            _("The task was cancelled for your unit: %(reason)s")
            % {"reason": progress.cancel_reason},
            code="progress.cancelled",
        )
    if progress.review == R.ACCEPTED:
        raise Refused(
            _("The office accepted this task as done; it no longer changes."),
            code="progress.accepted",
        )
    problems = Problems()
    if status not in (P.NOT_STARTED, P.IN_PROGRESS, P.DONE):
        problems.add(
            _("Choose a status: not started, in progress or done."), code="progress.no_status"
        )
    if status == P.DONE:
        if completed_on is None:
            problems.add(
                _("Give the day the task was completed."), code="progress.no_completion_day"
            )
        elif completed_on > today:
            problems.add(
                _("The completion day cannot be in the future."), code="progress.day_in_future"
            )
        if evidence is None:
            problems.add(
                _("Choose the product (a document of your unit's library)."),
                code="progress.no_product",
            )
    if evidence is not None and evidence.unit_id != progress.unit_id:
        problems.add(
            _("The document must come from your unit's library."),
            code="monitoring.foreign_document",
        )
    if problems:
        raise Refused(problems.texts, code="progress.invalid", codes=problems.codes)
    old = {
        "status": progress.status,
        "completed_on": progress.completed_on,
        "evidence": progress.evidence_id,
        "note": progress.note,
    }
    progress.status = status
    progress.completed_on = completed_on if status == P.DONE else None
    progress.evidence = evidence
    progress.note = note.strip()
    progress.review = R.PENDING if status == P.DONE else R.NONE
    progress.reported_at = timezone.now()
    progress.reported_by = by
    locked_save(
        progress,
        version,
        ["status", "completed_on", "evidence", "note", "review", "reported_at", "reported_by"],
    )
    audit.record(
        progress,
        "progress.reported",
        by=by,
        old=old,
        new={
            "task": progress.task.code,
            "unit": progress.unit.code,
            "status": status,
            "completed_on": progress.completed_on,
            "evidence": progress.evidence_id,
            "note": progress.note,
        },
    )
    return progress


@transaction.atomic
def review_progress(
    *, by: User, progress: Progress, version: int, accept: bool, reason: str = ""
) -> Progress:
    """The office accepts a task reported done, or returns it to the unit with the reason (the
    task is then in progress again and its completion no longer counts)."""
    if progress.review != R.PENDING:
        raise Refused(
            _("Only progress reported done and awaiting review can be reviewed."),
            code="progress.not_awaiting_review",
        )
    if not accept and not reason.strip():
        raise Refused(_("Give the reason for returning it."), code="monitoring.no_reason")
    progress.review = R.ACCEPTED if accept else R.RETURNED
    progress.review_reason = "" if accept else reason.strip()
    if not accept:
        progress.status = P.IN_PROGRESS
        progress.completed_on = None
    progress.reviewed_at = timezone.now()
    progress.reviewed_by = by
    locked_save(
        progress,
        version,
        ["review", "review_reason", "status", "completed_on", "reviewed_at", "reviewed_by"],
    )
    audit.record(
        progress,
        "progress.accepted" if accept else "progress.returned",
        by=by,
        new={"task": progress.task.code, "unit": progress.unit.code},
        reason=progress.review_reason,
    )
    if not accept:
        with site_language():
            tell_units(
                [progress.unit_id],
                subject=_("Task returned: %(task)s") % {"task": progress.task.code},
                body=_("The PAR office returned the task %(task)s. Reason: %(reason)s")
                % {"task": progress.task, "reason": progress.review_reason},
                url=_url(progress),
            )
    return progress


@transaction.atomic
def extend_progress(*, by: User, progress: Progress, until: dt.date, reason: str) -> Progress:
    """Give one unit more time on a task, with the reason; the extended day is the one that
    counts in the rates."""
    if not reason.strip():
        raise Refused(_("Give the reason for the extension."), code="monitoring.no_reason")
    if not progress.is_open:
        raise Refused(_("Only a task not yet done can be extended."), code="progress.not_open")
    if until <= progress.deadline:
        raise Refused(
            _("An extension must end after the current deadline (%(date)s).")
            % {"date": format_date(progress.deadline)},
            code="progress.extension_too_early",
        )
    old = progress.deadline
    progress.extended_until = progress.deadline = until
    progress.extension_reason = reason.strip()
    progress.version += 1
    progress.save(
        update_fields=["extended_until", "deadline", "extension_reason", "version", "updated_at"]
    )
    audit.record(
        progress,
        "progress.extended",
        by=by,
        old={"deadline": old},
        new={"task": progress.task.code, "unit": progress.unit.code, "deadline": until},
        reason=progress.extension_reason,
    )
    with site_language():
        tell_units(
            [progress.unit_id],
            subject=_("Deadline extended until %(date)s") % {"date": format_date(until)},
            body=_("Task %(task)s: extended until %(date)s. Reason: %(reason)s")
            % {"task": progress.task, "date": format_date(until), "reason": reason},
            url=_url(progress),
        )
    return progress


@transaction.atomic
def cancel_progress(*, by: User, progress: Progress, reason: str) -> Progress:
    """The office cancels a task for one unit, with the reason (it leaves the unit's rates)."""
    if not reason.strip():
        raise Refused(_("Give the reason for cancelling."), code="monitoring.no_reason")
    if progress.status == P.CANCELLED:
        raise Refused(
            _("The task is already cancelled for this unit."), code="progress.already_cancelled"
        )
    old = progress.status
    progress.status = P.CANCELLED
    progress.cancel_reason = reason.strip()
    progress.version += 1
    progress.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
    audit.record(
        progress,
        "progress.cancelled",
        by=by,
        old={"status": old},
        new={"task": progress.task.code, "unit": progress.unit.code, "status": P.CANCELLED},
        reason=progress.cancel_reason,
    )
    with site_language():
        tell_units(
            [progress.unit_id],
            subject=_("Task cancelled: %(task)s") % {"task": progress.task.code},
            body=_("The PAR office cancelled the task %(task)s for your unit. Reason: %(reason)s")
            % {"task": progress.task, "reason": progress.cancel_reason},
            url=_url(progress),
        )
    return progress


# --- urging ------------------------------------------------------------------------------------


@transaction.atomic
def urge(
    *, by: User, rows: Sequence[Progress], message: str = "", today: dt.date | None = None
) -> int:
    """Urge (đôn đốc) the units of some open tasks, by inbox and e-mail, one message per unit
    listing its tasks; each unit is urged about a task at most once a day. Returns the number
    of units urged."""
    today = today or timezone.localdate()
    by_unit: dict[int, list[Progress]] = {}
    for row in rows:
        if row.is_open:
            by_unit.setdefault(row.unit_id, []).append(row)
    urged = 0
    for unit_id, pending in by_unit.items():
        lines = "\n".join(
            f"- {row.task.code}. {row.task.title} ({_('deadline')} {format_date(row.deadline)})"
            for row in pending
        )
        key = "urge:" + ",".join(str(row.pk) for row in pending) + f":{today.isoformat()}"
        with site_language():
            body = _("The PAR office urges your unit to complete and report these tasks:")
            if message.strip():
                body = f"{message.strip()}\n\n{body}"
            sent = tell_units(
                [unit_id],
                subject=_("Urging: %(n)d task(s) to complete") % {"n": len(pending)},
                body=f"{body}\n{lines}",
                url=reverse("monitoring:mine"),
                key=key,
            )
        for row in pending:
            audit.record(
                row,
                "progress.urged",
                by=by,
                new={"task": row.task.code, "unit": row.unit.code, "sent": sent},
                reason=message.strip(),
            )
        urged += 1
    return urged
