"""Monitoring's hook-ups into the apps below it, made in `MonitoringConfig.ready()`.

Lower apps may not import monitoring (docs/architecture.md), so monitoring registers itself:
its menu entry, home panel and demo step in core's registries; its deadline reminders (run by
`parindex remind`), the values of computed criteria with the tasks, reports and findings behind
them, and the remediation tasks shown beside criteria, in `parindex.assessments.hooks`; its
background jobs (the rates and computed criteria recomputed) in `parindex.jobs.kinds`.
"""

from __future__ import annotations

from typing import Any


def register(menu_label: Any) -> None:
    """Register monitoring's entries and sources (idempotent: `ready()` may run again)."""
    from parindex.assessments import hooks, notifications
    from parindex.core import registry
    from parindex.monitoring import computed, dashboard, jobs, remarks, reminders

    # After Appraisal (40), before Surveys (45).
    registry.menu.add(
        registry.MenuEntry(43, menu_label, "monitoring:index", "/monitoring/", "view_monitoring")
    )
    # After results (50), before national (60).
    registry.dashboard_panels.add(registry.DashboardPanel(55, "monitoring", dashboard.panel))
    # After results (60), which publishes last year's round that the remediation plan answers.
    registry.demo_steps.add(registry.DemoStep(65, "monitoring", "parindex.monitoring.demo"))
    notifications.register_reminders(reminders.send_reminders)
    hooks.register_computed(computed.computed_values)
    hooks.register_remarks(remarks.remediation_remarks)
    jobs.register()
