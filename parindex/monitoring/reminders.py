"""Daily reminders of monitoring deadlines, run by `parindex remind` (registered in hooks.py).

Like the rounds' reminders: the officers of a unit with open tasks, unsent reports or
unremedied findings hear of them 7, 3 and 1 days before the deadline and once when it has
passed (within OVERDUE_DAYS of it), by inbox and e-mail. Each message has a key naming the
unit, the kind of work, the deadline and the threshold, so a second run sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex import engine
from parindex.assessments.notifications import REMIND_DAYS
from parindex.core.formatting import format_date
from parindex.monitoring.models import Finding, Plan, Progress, ReportType, Submission
from parindex.monitoring.services.common import site_language, tell_units
from parindex.units.models import Unit

# Overdue work is reminded of once, if the deadline passed at most this many days ago.
OVERDUE_DAYS = 30


def threshold(days_left: int) -> str | None:
    """Which reminder is due: the nearest of 7/3/1 days ahead, 'overdue', or None."""
    if days_left < 0:
        return "overdue" if days_left >= -OVERDUE_DAYS else None
    for days in REMIND_DAYS:
        if days_left <= days:
            return f"d{days}"
    return None


def _window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=OVERDUE_DAYS), today + dt.timedelta(days=max(REMIND_DAYS))


def send_reminders(today: dt.date) -> int:
    """Remind units of their task, report and finding deadlines; idempotent per day."""
    # (unit id, kind, deadline, threshold) -> lines of the message
    batches: dict[tuple[int, str, dt.date, str], list[str]] = defaultdict(list)
    start, end = _window(today)
    open_tasks = (
        Progress.objects.filter(
            task__plan__status=Plan.Status.ISSUED,
            status__in=[Progress.Status.NOT_STARTED, Progress.Status.IN_PROGRESS],
            deadline__gte=start,
            deadline__lte=end,
        )
        .values_list("unit_id", "deadline", "task__code", "task__title")
        .order_by("unit_id", "deadline", "task__code")
    )
    for unit_id, deadline, code, title in open_tasks:
        if (level := threshold((deadline - today).days)) is not None:
            batches[(unit_id, "task", deadline, level)].append(f"{code}. {title}")
    for unit_id, deadline, line in _pending_reports(today, start, end):
        if (level := threshold((deadline - today).days)) is not None:
            batches[(unit_id, "report", deadline, level)].append(line)
    findings = (
        Finding.objects.filter(
            remedy_deadline__gte=start,
            remedy_deadline__lte=end,
            status__in=[Finding.Status.OPEN, Finding.Status.RETURNED],
        )
        .values_list("inspection__unit_id", "remedy_deadline", "inspection__code", "code", "text")
        .order_by("remedy_deadline")
    )
    for unit_id, deadline, inspection, code, text in findings:
        if (level := threshold((deadline - today).days)) is not None:
            batches[(unit_id, "finding", deadline, level)].append(f"{inspection}/{code}: {text}")
    sent = 0
    with site_language():
        for (unit_id, kind, deadline, level), lines in batches.items():
            subject, intro = _texts(kind, deadline, level, today)
            body = intro + "\n" + "\n".join(f"- {line}" for line in lines[:30])
            key = f"monitoring:{kind}:{unit_id}:{deadline.isoformat()}:{level}"
            sent += tell_units(
                [unit_id], subject=subject, body=body, url=reverse("monitoring:mine"), key=key
            )
    return sent


def _texts(kind: str, deadline: dt.date, level: str, today: dt.date) -> tuple[str, str]:
    context = {"date": format_date(deadline), "days": (deadline - today).days}
    if level == "overdue":
        subjects = {
            "task": _("Overdue plan tasks (deadline %(date)s)"),
            "report": _("Overdue report (due %(date)s)"),
            "finding": _("Overdue remedy of inspection findings (deadline %(date)s)"),
        }
        intro = _("The deadline of %(date)s has passed and this is still pending:")
    else:
        subjects = {
            "task": _("Reminder: plan tasks due on %(date)s"),
            "report": _("Reminder: report due on %(date)s"),
            "finding": _("Reminder: inspection findings to remedy by %(date)s"),
        }
        intro = _("%(days)s day(s) left until %(date)s. Still pending:")
    return subjects[kind] % context, intro % context


def _pending_reports(
    today: dt.date, start: dt.date, end: dt.date
) -> list[tuple[int, dt.date, str]]:
    """(unit id, due date, line) of every report due in the window and not (validly) sent."""
    pending = []
    for report_type in ReportType.objects.filter(is_active=True).prefetch_related("unit_types"):
        due = [
            period
            for year in range(start.year, end.year + 1)
            for period in engine.periods(report_type.frequency, year, report_type.due_day)
            if start <= period.due_on <= end
        ]
        if not due:
            continue
        units = list(Unit.objects.filter(unit_type__in=list(report_type.unit_types.all())))
        sent = set(
            Submission.objects.filter(
                report_type=report_type,
                period__in=[period.code for period in due],
                status=Submission.Status.SUBMITTED,
            ).values_list("unit_id", "period")
        )
        for period in due:
            for unit in units:
                if unit.is_active_on(period.due_on) and (unit.pk, period.code) not in sent:
                    pending.append((unit.pk, period.due_on, f"{report_type.title} ({period.code})"))
    return pending
