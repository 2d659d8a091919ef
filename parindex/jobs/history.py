"""Background jobs' audited actions in words (started, retried, finished, failed, requeued).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`. A job is
named by its kind's label and number ("Publication #12"), not by its kind's key.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from parindex.core import registry
from parindex.core.history import register


def job_names(ids: list[str]) -> dict[str, str]:
    """Jobs by name: their kind's label (else its key) and their number ("Publication #12")."""
    from parindex.jobs import kinds
    from parindex.jobs.models import Job

    labels = {kind.key: str(kind.label) for kind in kinds.known()}
    numbers = [int(pk) for pk in ids if pk.isdigit()]
    return {
        str(pk): f"{labels.get(kind, kind)} #{pk}"
        for pk, kind in Job.objects.filter(pk__in=numbers).values_list("pk", "kind")
    }


def started(entry: Any) -> str:
    """Nothing to add: the job's name says its kind, its arguments are internal ids."""
    return ""


def register_texts() -> None:
    """Tell the history how to word this app's actions and name its jobs."""
    registry.audit_objects.add(registry.AuditObjects("jobs.job", job_names))
    register(
        {
            "job.enqueued": _("started the background job %(object)s"),
            "job.retried": _("started the background job %(object)s again"),
            "job.succeeded": _("ran the background job %(object)s to the end"),
            "job.failed": _("ran the background job %(object)s, which failed"),
            "job.requeued": _("queued the background job %(object)s again"),
            # `services._finish` records "job.<state>"; a state added later still reads well.
            "job.*": _("finished the background job %(object)s"),
        },
        details={"job.enqueued": started},
        fields={
            "kind": _("kind"),
            "arguments": _("arguments"),
            "message": _("message"),
            "problems": _("problems"),
            "file": _("file"),
            "worker": _("worker"),
        },
    )
