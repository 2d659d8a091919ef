"""The API's hook-ups into the apps below it, made in `ApiConfig.ready()`.

- core: its menu entry (office), its demo step;
- accounts: the `manage_api` permission (the office: admin and PAR officer);
- assessments: `parindex remind` also queues the webhooks of overdue tasks;
- the audit log (core's `AuditEntry`, through Django's post_save): publications and
  assessments' changes of status become webhook events (see `webhooks.on_audit_entry`);
- jobs: each attempt of a webhook delivery is a background job (`api.webhook`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def can_manage_api(user: Any, obj: Any = None) -> bool:
    """Create and revoke API tokens, manage webhooks: the office."""
    from parindex.accounts import permissions

    return permissions.is_office(user)


def register() -> None:
    """Register the API's entries and listeners (idempotent: `ready()` may run again)."""
    from parindex.accounts import permissions
    from parindex.api import webhooks
    from parindex.assessments import notifications
    from parindex.core import registry
    from parindex.core.models import AuditEntry
    from parindex.jobs import kinds

    permissions.predicate("manage_api")(can_manage_api)
    # After Audit log (100), before Inbox (110).
    registry.menu.add(registry.MenuEntry(103, _("API"), "api:tokens", "/api/", "manage_api"))
    # Last: its webhook deliveries are about the rounds, tasks and results loaded before.
    registry.demo_steps.add(registry.DemoStep(90, "api", "parindex.api.demo"))
    notifications.register_reminders(webhooks.overdue_tasks)
    post_save.connect(webhooks.on_audit_entry, sender=AuditEntry, dispatch_uid="api-webhooks")
    kinds.register(
        kinds.JobKind(
            webhooks.JOB_KIND,
            _("Webhook delivery"),
            webhooks.run_attempt,
            may_open=webhooks.may_open_attempt,
            describe=webhooks.describe_attempt,
        )
    )
