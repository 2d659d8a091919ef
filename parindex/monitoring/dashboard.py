"""Monitoring's panel on the home page (`core.queries.dashboard_panels`): a unit's due tasks,
reports and open findings with their deadlines; for the office and the leaders, the
completion of the year's plans, what awaits review and the units at risk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.core.registry import Panel
from parindex.monitoring import pages, queries

SOON = dt.timedelta(days=30)
LIMIT = 8


def unit_items(user: AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """The user's units' open tasks due within a month or overdue, reports to send, open
    findings: what to do next and by when."""
    unit_ids = permissions.unit_ids(user)
    items: list[dict[str, Any]] = []
    tasks = queries.progress_of_units(unit_ids).filter(
        status__in=pages.OPEN, deadline__lte=today + SOON
    )
    for row in tasks[:LIMIT]:
        items.append(
            {
                "label": _("Task %(plan)s · %(task)s: %(title)s")
                % {"plan": row.task.plan.code, "task": row.task.code, "title": row.task.title},
                "url": reverse("monitoring:progress", args=[row.pk]),
                "deadline": row.deadline,
            }
        )
    for unit in queries.readable_units(user).filter(pk__in=unit_ids):
        for row in queries.unit_calendar(unit, today.year, today):
            if row.state in ("missing", "returned", "due"):
                items.append(
                    {
                        "label": _("Report %(report)s (%(period)s): %(state)s")
                        % {
                            "report": row.report_type.title,
                            "period": row.period.code,
                            "state": row.label.lower(),
                        },
                        "url": f"{reverse('monitoring:calendar')}?unit={unit.pk}",
                        "deadline": row.period.due_on,
                    }
                )
    for finding in queries.findings_of_units(unit_ids).exclude(status="remedied")[:LIMIT]:
        items.append(
            {
                "label": _("Remedy finding %(code)s: %(text)s")
                % {"code": f"{finding.inspection.code}/{finding.code}", "text": finding.text},
                "url": reverse("monitoring:finding", args=[finding.pk]),
                "deadline": finding.remedy_deadline,
            }
        )
    return items


def reader_items(user: AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """The year's plan completion, progress awaiting the office's review, units at risk
    (a home page: a few narrow queries, whatever the number of units)."""
    year = today.year
    items: list[dict[str, Any]] = []
    completion_url = f"{reverse('monitoring:completion')}?year={year}"
    total = pages.year_completion(year, today)
    if total.total:
        items.append(
            {
                "label": _(
                    "Plans of %(year)d: %(done)d of %(total)d assigned tasks done "
                    "(%(percent)s%%), %(overdue)d overdue"
                )
                % {
                    "year": year,
                    "done": total.done,
                    "total": total.total,
                    "percent": str(total.done_percent).replace(".", ","),
                    "overdue": total.overdue,
                },
                "url": completion_url,
            }
        )
    if permissions.has(user, "manage_monitoring"):
        for plan, pending in pages.pending_reviews():
            items.append(
                {
                    "label": _("%(plan)s: %(n)d task(s) reported done await your review")
                    % {"plan": plan.code, "n": pending},
                    "url": f"{reverse('monitoring:plan_detail', args=[plan.pk])}?state=pending",
                }
            )
    for unit in pages.units_at_risk(year, today, limit=5):
        items.append(
            {
                "label": _("At risk: %(unit)s, %(n)d overdue task(s)")
                % {"unit": unit.name, "n": unit.completion.overdue},
                "url": completion_url,
            }
        )
    return items


def panel(user: AnyUser) -> Panel | None:
    """The monitoring panel of a user's home page (None when monitoring is not theirs)."""
    if not permissions.has(user, "view_monitoring"):
        return None
    today = timezone.localdate()
    items = reader_items(user, today) if permissions.has(user, "view_plans") else []
    if permissions.unit_ids(user):
        items = unit_items(user, today) + items
    return Panel(
        title=_("Plans, reports and inspections"),
        items=items,
        empty=_("No task, report or finding is due."),
        action_label=_("Open monitoring"),
        action_url=reverse("monitoring:index"),
    )
