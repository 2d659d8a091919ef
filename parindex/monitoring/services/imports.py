"""Imports of the monitoring files (DESIGN.md "Monitoring", formats), all or nothing.

Files are read by the one table module (`parindex.documents.tables`, CSV or XLSX); every row is
checked before anything is written, each problem is reported in Vietnamese with its row
number, and any problem (or `dry_run`) rolls the whole import back.

- plan tasks: `code,title,lead,coordinating,deadline,criterion_codes,product`
- task progress: `task_code,unit_code,status,completed_on,note`
- report types: `code,title,legal_basis,frequency,due_day,unit_types`
- report submissions: `report_code,unit_code,period,submitted_on`
- findings: `inspection_code,unit_code,inspected_on,finding_code,text,criterion_code,
  remedy_deadline,remedied_on`
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts.models import User
from parindex.core import audit
from parindex.core.refusals import Problems
from parindex.documents import tables
from parindex.monitoring import queries
from parindex.monitoring.models import Finding, Inspection, Plan, Progress, ReportType, Submission
from parindex.monitoring.services.common import Refused
from parindex.monitoring.services.inspections import record_remedied, save_finding, save_inspection
from parindex.monitoring.services.plans import (
    TaskValues,
    add_task,
    cancel_progress,
    check_task,
    create_plan,
    update_task,
)
from parindex.monitoring.services.reports import check_report_type, due_on, save_report_type
from parindex.units.models import Unit

TASKS_HEADER = ["code", "title", "lead", "coordinating", "deadline", "criterion_codes", "product"]
PROGRESS_HEADER = ["task_code", "unit_code", "status", "completed_on", "note"]
REPORT_TYPES_HEADER = ["code", "title", "legal_basis", "frequency", "due_day", "unit_types"]
SUBMISSIONS_HEADER = ["report_code", "unit_code", "period", "submitted_on"]
FINDINGS_HEADER = [
    "inspection_code",
    "unit_code",
    "inspected_on",
    "finding_code",
    "text",
    "criterion_code",
    "remedy_deadline",
    "remedied_on",
]

Rows = list[dict[str, Any]]  # each row's cells by column name, and its number in the file


class ImportFailed(Refused):
    """A file refused as a whole: `problems` lists every row's problem in Vietnamese."""

    default_code = "monitoring.import_failed"


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    lines: list[str] = field(default_factory=list)  # a line per change, for the preview


def read_rows(data: bytes, filename: str, header: Sequence[str]) -> Rows:
    """The rows of a CSV/XLSX file with exactly these columns (in any order)."""
    try:
        table = tables.read_table(data, filename)
    except tables.TableError as error:
        raise ImportFailed([str(error)], code="monitoring_file.unreadable") from None
    found = [cell.strip().lower() for cell in table.header]
    missing = [name for name in header if name not in found]
    unknown = [name for name in found if name and name not in header]
    if missing or unknown:
        raise ImportFailed(
            [
                _("The first row must hold the columns %(header)s; found %(found)s.")
                % {"header": ",".join(header), "found": ",".join(found) or "—"}
            ],
            code="monitoring_file.bad_header",
        )
    position = {name: found.index(name) for name in header}
    rows = [
        {"line": row.number, **{name: row.cells[index].strip() for name, index in position.items()}}
        for row in table.rows
    ]
    if not rows:
        raise ImportFailed(
            [_("The file has no rows under its header.")], code="monitoring_file.no_rows"
        )
    return rows


def parse_date(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD or dd/mm/yyyy ('' → None); ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if len(text) > 10 and text[10] == "T":  # a date cell with a time (the table module's ISO)
        text = text[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def split(text: str) -> tuple[str, ...]:
    """Codes separated by ';' (or ','), trimmed, in order, without repeats."""
    parts = text.replace(",", ";").split(";")
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


class _Checker:
    """Collects each row's problems as 'Row N: …' lines, each with its code."""

    def __init__(self) -> None:
        self.problems = Problems()

    def row(self, line: int, problems: Problems) -> None:
        where = _("Row %(line)d") % {"line": line}
        self.problems.extend([f"{where}: {text}" for text in problems.texts], problems.codes)

    def date(
        self, row: dict[str, Any], column: str, problems: Problems, *, required: bool = False
    ) -> dt.date | None:
        if required and not row[column]:
            problems.add(
                _("%(column)s is empty") % {"column": column}, code="monitoring_file.empty"
            )
            return None
        try:
            return parse_date(row[column])
        except ValueError:
            problems.add(
                _("%(column)s “%(value)s” is not a date (YYYY-MM-DD or dd/mm/yyyy)")
                % {"column": column, "value": row[column]},
                code="monitoring_file.bad_date",
            )
            return None

    def duplicate(self, seen: dict[Any, int], key: Any, line: int, problems: Problems) -> None:
        if key in seen:
            problems.add(
                _("the same row is already on row %(line)d") % {"line": seen[key]},
                code="monitoring_file.duplicate_row",
            )
        seen.setdefault(key, line)

    def finish(self) -> None:
        if self.problems:
            raise ImportFailed(
                self.problems.texts, code="monitoring_file.invalid", codes=self.problems.codes
            )


def _all_or_nothing(work: Callable[[], ImportResult], dry_run: bool) -> ImportResult:
    """Run an import in one transaction, rolled back on any problem or in a dry run."""
    with transaction.atomic():
        result = work()
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result


# --- plan tasks -----------------------------------------------------------------------------------


def import_plan(
    *,
    by: User | None,
    plan_code: str,
    rows: Rows,
    year: int,
    title: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Create or update a plan's tasks from the rows (a new plan is created as a draft)."""

    def work() -> ImportResult:
        result = ImportResult()
        plan = Plan.objects.filter(code=plan_code).first()
        if plan is None:
            plan = create_plan(
                by=by,
                code=plan_code,
                year=year,
                title=title or _("Plan %(code)s") % {"code": plan_code},
            )
            result.lines.append(_("New plan %(code)s (draft)") % {"code": plan_code})
        elif plan.year != year:
            raise ImportFailed(
                [
                    _("The plan %(code)s is of %(year)d, not %(given)d.")
                    % {"code": plan_code, "year": plan.year, "given": year}
                ],
                code="monitoring_file.plan_year",
            )
        existing = {task.code: task for task in plan.tasks.all()}
        resolver = queries.LeadResolver()
        checker = _Checker()
        seen: dict[Any, int] = {}
        values_by_row: list[TaskValues] = []
        for row in rows:
            problems = Problems()
            checker.duplicate(seen, row["code"], row["line"], problems)
            deadline = checker.date(row, "deadline", problems, required=True)
            if deadline is not None:
                values = TaskValues(
                    code=row["code"],
                    title=row["title"],
                    lead=split(row["lead"]),
                    coordinating=split(row["coordinating"]),
                    deadline=deadline,
                    product=row["product"],
                    criterion_codes=split(row["criterion_codes"]),
                )
                task = existing.get(values.code)
                found = check_task(values, plan=plan, task=task, resolver=resolver)
                problems.extend(found.texts, found.codes)
                values_by_row.append(values)
            checker.row(row["line"], problems)
        checker.finish()
        for values in values_by_row:
            task = existing.get(values.code)
            if task is None:
                add_task(by=by, plan=plan, values=values, resolver=resolver)
                result.created += 1
                result.lines.append(_("New task %(code)s: %(title)s") % values.as_fields())
            else:
                before = task.version
                update_task(
                    by=by, task=task, version=task.version, values=values, resolver=resolver
                )
                if task.version != before:
                    result.updated += 1
                    result.lines.append(_("Changed task %(code)s: %(title)s") % values.as_fields())
                else:
                    result.unchanged += 1
        return result

    return _all_or_nothing(work, dry_run)


# --- task progress -------------------------------------------------------------------------------

PROGRESS_STATUSES = {str(value) for value in Progress.Status.values}


def update_progress(
    *, by: User | None, plan_code: str, rows: Rows, dry_run: bool = False
) -> ImportResult:
    """Record the units' progress from the rows, as the office (a done task is accepted; a
    cancelled one needs the reason in `note`)."""

    def work() -> ImportResult:
        plan = Plan.objects.filter(code=plan_code).first()
        if plan is None:
            raise ImportFailed(
                [_("There is no plan %(code)s.") % {"code": plan_code}],
                code="monitoring_file.unknown_plan",
            )
        progress = {
            (row.task.code, row.unit.code): row
            for row in Progress.objects.filter(task__plan=plan).select_related("task", "unit")
        }
        today = timezone.localdate()
        checker = _Checker()
        seen: dict[Any, int] = {}
        changes: list[tuple[Progress, str, dt.date | None, str]] = []
        for row in rows:
            problems = Problems()
            key = (row["task_code"], row["unit_code"])
            checker.duplicate(seen, key, row["line"], problems)
            target = progress.get(key)
            if target is None:
                problems.add(
                    _("task %(task)s of %(plan)s is not assigned to unit %(unit)s")
                    % {"task": key[0] or "—", "plan": plan_code, "unit": key[1] or "—"},
                    code="monitoring_file.task_not_assigned",
                )
            status = row["status"].strip().lower()
            if status not in PROGRESS_STATUSES:
                problems.add(
                    _("status must be not_started, in_progress, done or cancelled, not “%(value)s”")
                    % {"value": row["status"]},
                    code="monitoring_file.bad_status",
                )
            completed_on = checker.date(row, "completed_on", problems)
            if status == Progress.Status.DONE and completed_on is None and not problems:
                problems.add(
                    _("a task done needs its completed_on date"),
                    code="monitoring_file.no_completion_day",
                )
            if completed_on and completed_on > today:
                problems.add(
                    _("completed_on cannot be in the future"), code="monitoring_file.day_in_future"
                )
            if status == Progress.Status.CANCELLED and not row["note"]:
                problems.add(
                    _("a cancelled task needs the reason in note"),
                    code="monitoring_file.no_cancel_reason",
                )
            checker.row(row["line"], problems)
            if target is not None and not problems:
                changes.append((target, status, completed_on, row["note"]))
        checker.finish()
        result = ImportResult()
        for target, status, completed_on, note in changes:
            if _record_progress(by, target, status, completed_on, note):
                result.updated += 1
                result.lines.append(f"{target.task.code} · {target.unit.code}: {status}")
            else:
                result.unchanged += 1
        return result

    return _all_or_nothing(work, dry_run)


def _record_progress(
    by: User | None, row: Progress, status: str, completed_on: dt.date | None, note: str
) -> bool:
    """Set one unit's progress as the office records it; whether it changed."""
    if status == Progress.Status.CANCELLED:
        if row.status == Progress.Status.CANCELLED:
            return False
        cancel_progress(by=by, progress=row, reason=note)  # type: ignore[arg-type]
        return True
    done = status == Progress.Status.DONE
    values = {
        "status": status,
        "completed_on": completed_on if done else None,
        "note": note or row.note,
        "review": Progress.Review.ACCEPTED if done else Progress.Review.NONE,
    }
    old, new = audit.changes(row, list(values), values)
    if not new:
        return False
    for key, value in values.items():
        setattr(row, key, value)
    row.reported_at = row.reviewed_at = timezone.now()
    row.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    row.version += 1
    row.save()
    audit.record(
        row,
        "progress.recorded",
        by=by,
        old=old,
        new={"task": row.task.code, "unit": row.unit.code, **new},
    )
    return True


# --- the reporting regime ------------------------------------------------------------------------


def import_report_types(*, by: User | None, rows: Rows, dry_run: bool = False) -> ImportResult:
    """Create or update report types from the rows."""

    def work() -> ImportResult:
        checker = _Checker()
        seen: dict[Any, int] = {}
        parsed = []
        for row in rows:
            problems = Problems()
            checker.duplicate(seen, row["code"], row["line"], problems)
            due_day = int(row["due_day"]) if row["due_day"].isdigit() else None
            values = {
                "code": row["code"],
                "title": row["title"],
                "legal_basis": row["legal_basis"],
                "frequency": row["frequency"].strip().lower(),
                "due_day": due_day,
                "unit_types": list(split(row["unit_types"])),
            }
            found = check_report_type(
                code=values["code"],
                title=values["title"],
                frequency=values["frequency"],
                due_day=due_day,
                unit_types=values["unit_types"],
                report_type=ReportType.objects.filter(code=values["code"]).first(),
            )
            problems.extend(found.texts, found.codes)
            checker.row(row["line"], problems)
            parsed.append(values)
        checker.finish()
        result = ImportResult()
        for values in parsed:
            created = not ReportType.objects.filter(code=values["code"]).exists()
            _report_type, changed = save_report_type(by=by, **values)
            if created:
                result.created += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
            if changed:
                result.lines.append(f"{values['code']}: {values['title']}")
        return result

    return _all_or_nothing(work, dry_run)


def import_submissions(*, by: User | None, rows: Rows, dry_run: bool = False) -> ImportResult:
    """Record the reports units sent (the office's register): a new day replaces the one
    recorded for that report, unit and period."""

    def work() -> ImportResult:
        types = {row.code: row for row in ReportType.objects.prefetch_related("unit_types")}
        units = {unit.code: unit for unit in Unit.objects.all()}
        today = timezone.localdate()
        checker = _Checker()
        seen: dict[Any, int] = {}
        changes: list[tuple[ReportType, Unit, str, dt.date, dt.date]] = []
        for row in rows:
            problems = Problems()
            checker.duplicate(
                seen, (row["report_code"], row["unit_code"], row["period"]), row["line"], problems
            )
            report_type, unit = types.get(row["report_code"]), units.get(row["unit_code"])
            if report_type is None:
                problems.add(
                    _("there is no report type %(code)s") % {"code": row["report_code"] or "—"},
                    code="monitoring_file.unknown_report_type",
                )
            if unit is None:
                problems.add(
                    _("there is no unit %(code)s") % {"code": row["unit_code"] or "—"},
                    code="monitoring_file.unknown_unit",
                )
            submitted_on = checker.date(row, "submitted_on", problems, required=True)
            if submitted_on and submitted_on > today:
                problems.add(
                    _("submitted_on cannot be in the future"), code="monitoring_file.day_in_future"
                )
            if report_type is not None and unit is not None:
                if unit.unit_type_id not in {t.pk for t in report_type.unit_types.all()}:
                    problems.add(
                        _("%(unit)s does not send the report %(report)s.")
                        % {"unit": unit.code, "report": report_type.code},
                        code="submission.unit_not_sending",
                    )
                try:
                    due = due_on(report_type, row["period"])
                except Refused as refused:
                    problems.extend(refused.problems, refused.codes)
            checker.row(row["line"], problems)
            if not problems:
                # No problem: the report type, unit and both days were found.
                assert report_type and unit and due and submitted_on
                changes.append((report_type, unit, row["period"], due, submitted_on))
        checker.finish()
        result = ImportResult()
        for report_type, unit, period, due, submitted_on in changes:
            outcome = _record_submission(by, report_type, unit, period, due, submitted_on)
            setattr(result, outcome, getattr(result, outcome) + 1)
            if outcome != "unchanged":
                result.lines.append(f"{report_type.code} · {unit.code} · {period}: {submitted_on}")
        return result

    return _all_or_nothing(work, dry_run)


def _record_submission(
    by: User | None,
    report_type: ReportType,
    unit: Unit,
    period: str,
    due: dt.date,
    submitted_on: dt.date,
) -> str:
    """Create or update one submission as the office records it: created/updated/unchanged."""
    submission = Submission.objects.filter(
        report_type=report_type, unit=unit, period=period
    ).first()
    if submission is not None and (
        submission.submitted_on == submitted_on and submission.status == Submission.Status.SUBMITTED
    ):
        return "unchanged"
    old = (
        {"submitted_on": submission.submitted_on, "status": submission.status}
        if submission
        else None
    )
    submission = submission or Submission(report_type=report_type, unit=unit, period=period)
    submission.due_on, submission.submitted_on = due, submitted_on
    submission.status = Submission.Status.SUBMITTED
    submission.version += 1
    submission.save()
    audit.record(
        submission,
        "report.recorded",
        by=by,
        old=old,
        new={
            "report": report_type.code,
            "unit": unit.code,
            "period": period,
            "submitted_on": submitted_on,
        },
    )
    return "updated" if old else "created"


# --- findings ------------------------------------------------------------------------------------


def import_findings(*, by: User | None, rows: Rows, dry_run: bool = False) -> ImportResult:
    """Record inspections and their findings (and remedies verified) from the rows."""

    def work() -> ImportResult:
        units = {unit.code: unit for unit in Unit.objects.all()}
        inspections = {row.code: row for row in Inspection.objects.select_related("unit")}
        today = timezone.localdate()
        checker = _Checker()
        seen: dict[Any, int] = {}
        first: dict[str, tuple[str, dt.date | None]] = {}
        parsed: list[tuple[dict[str, Any], Unit, dt.date, dt.date, dt.date | None]] = []
        for row in rows:
            problems = Problems()
            key = (row["inspection_code"], row["finding_code"])
            checker.duplicate(seen, key, row["line"], problems)
            if not row["inspection_code"]:
                problems.add(_("inspection_code is empty"), code="monitoring_file.empty")
            if not row["finding_code"]:
                problems.add(_("finding_code is empty"), code="monitoring_file.empty")
            if not row["text"]:
                problems.add(_("text is empty"), code="monitoring_file.empty")
            unit = units.get(row["unit_code"])
            if unit is None:
                problems.add(
                    _("there is no unit %(code)s") % {"code": row["unit_code"] or "—"},
                    code="monitoring_file.unknown_unit",
                )
            inspected_on = checker.date(row, "inspected_on", problems, required=True)
            deadline = checker.date(row, "remedy_deadline", problems, required=True)
            remedied_on = checker.date(row, "remedied_on", problems)
            if remedied_on and remedied_on > today:
                problems.add(
                    _("remedied_on cannot be in the future"), code="monitoring_file.day_in_future"
                )
            known = inspections.get(row["inspection_code"])
            earlier = first.setdefault(row["inspection_code"], (row["unit_code"], inspected_on))
            if (
                known and (known.unit.code, known.inspected_on) != (row["unit_code"], inspected_on)
            ) or (earlier != (row["unit_code"], inspected_on)):
                problems.add(
                    _("inspection %(code)s is of another unit or day elsewhere")
                    % {"code": row["inspection_code"]},
                    code="monitoring_file.inspection_elsewhere",
                )
            checker.row(row["line"], problems)
            if not problems:
                # No problem: the unit and both required days were found.
                assert unit and inspected_on and deadline
                parsed.append((row, unit, inspected_on, deadline, remedied_on))
        checker.finish()
        result = ImportResult()
        for row, unit, inspected_on, deadline, remedied_on in parsed:
            inspection = inspections.get(row["inspection_code"])
            if inspection is None:
                inspection = inspections[row["inspection_code"]] = save_inspection(
                    by=by, code=row["inspection_code"], unit=unit, inspected_on=inspected_on
                )
                result.lines.append(_("New inspection %(code)s") % {"code": inspection.code})
            finding = Finding.objects.filter(
                inspection=inspection, code=row["finding_code"]
            ).first()
            before = (
                (finding.text, finding.criterion_code, finding.remedy_deadline) if finding else None
            )
            finding = save_finding(
                by=by,
                inspection=inspection,
                code=row["finding_code"],
                text=row["text"],
                criterion_code=row["criterion_code"],
                remedy=finding.remedy if finding else "",
                remedy_deadline=deadline,
                finding=finding,
            )
            remedied = record_remedied(by=by, finding=finding, remedied_on=remedied_on)
            after = (finding.text, finding.criterion_code, finding.remedy_deadline)
            if before is None:
                result.created += 1
            elif before != after or remedied:
                result.updated += 1
            else:
                result.unchanged += 1
            if before is None or before != after or remedied:
                result.lines.append(f"{inspection.code} · {finding.code}: {finding.text}")
        return result

    return _all_or_nothing(work, dry_run)
