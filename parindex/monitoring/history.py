"""Monitoring's audited actions in words (plans, tasks, progress, reports, inspections).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "plan.created": _("created the plan %(object)s"),
            "plan.cloned": _("copied the plan %(object)s"),
            "plan.drafted": _("put the plan %(object)s back to draft"),
            "plan.issued": _("issued the plan %(object)s"),
            "plan.updated": _("changed the plan %(object)s"),
            "task.added": _("added the task %(object)s"),
            "task.changed": _("changed the task %(object)s"),
            "task.deleted": _("deleted the task %(object)s"),
            "progress.recorded": _("recorded progress on %(object)s"),
            "progress.reported": _("reported progress on %(object)s"),
            "progress.accepted": _("accepted the progress report on %(object)s"),
            "progress.returned": _("returned the progress report on %(object)s"),
            "progress.urged": _("urged progress on %(object)s"),
            "progress.extended": _("extended the deadline of %(object)s"),
            "progress.cancelled": _("cancelled %(object)s"),
            "report_type.created": _("created the report type %(object)s"),
            "report_type.changed": _("changed the report type %(object)s"),
            "report.recorded": _("recorded the report %(object)s"),
            "report.submitted": _("submitted the report %(object)s"),
            "report.returned": _("returned the report %(object)s"),
            "inspection.created": _("created the inspection %(object)s"),
            "inspection.changed": _("changed the inspection %(object)s"),
            "finding.added": _("added the finding %(object)s"),
            "finding.changed": _("changed the finding %(object)s"),
            "finding.recorded": _("recorded the finding %(object)s"),
            "finding.remedy_reported": _("reported the remedy of %(object)s"),
            "finding.verified": _("verified the remedy of %(object)s"),
            "finding.returned": _("returned the remedy of %(object)s"),
        },
        fields={
            "completed_on": _("completed on"),
            "coordinating": _("coordinating units"),
            "criterion_code": _("criterion"),
            "criterion_codes": _("related criteria"),
            "document": _("document"),
            "due_day": _("due day"),
            "frequency": _("frequency"),
            "inspected_on": _("inspected on"),
            "inspection": _("inspection"),
            "issued_on": _("issued on"),
            "lead": _("lead"),
            "minutes": _("minutes"),
            "period": _("period"),
            "plan": _("plan"),
            "product": _("product"),
            "remedied_on": _("remedied on"),
            "remedy": _("required remedy"),
            "remedy_deadline": _("remedy deadline"),
            "report": _("report"),
            "reported_on": _("remedied on (as reported)"),
            "review": _("review"),
            "round": _("round"),
            "skipped": _("skipped"),
            "submitted_on": _("submitted on"),
            "task": _("task"),
            "tasks": _("tasks"),
            "team": _("team"),
            "text": _("finding"),
            "unowned": _("criteria without a lead unit"),
        },
    )
