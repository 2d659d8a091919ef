"""Monitoring's hook-ups into lower apps, made in `MonitoringConfig.ready()`.

Lower apps may not import monitoring (DESIGN.md "Layout"), so monitoring registers itself:
its deadline reminders run with `parindex remind`.
"""

from __future__ import annotations


def register() -> None:
    """Register monitoring's reminders (idempotent: `ready()` may run more than once)."""
    from parindex.assessments import notifications
    from parindex.monitoring import reminders

    notifications.register_reminders(reminders.send_reminders)
