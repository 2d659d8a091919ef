"""Monitoring's hook-ups into lower apps, made in `MonitoringConfig.ready()`.

Lower apps may not import monitoring (DESIGN.md "Layout"), so monitoring registers itself: its
deadline reminders run with `parindex remind`, and the values of computed criteria (with the
tasks, reports and findings behind them) reach the self-assessment and appraisal pages and the
results through `parindex.assessments.hooks`, beside the remediation tasks answering last
year's lost points.
"""

from __future__ import annotations


def register() -> None:
    """Register monitoring's sources (idempotent: `ready()` may run more than once)."""
    from parindex.assessments import hooks, notifications
    from parindex.monitoring import computed, remarks, reminders

    notifications.register_reminders(reminders.send_reminders)
    hooks.register_computed(computed.computed_values)
    hooks.register_remarks(remarks.remediation_remarks)
