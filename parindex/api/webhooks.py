"""Webhooks: which events are sent, how each delivery is signed, sent and retried.

Events come from the audit log, which every service writes (`core.audit.record`): when an entry
that matters is saved (a publication, an assessment's change of status), `on_audit_entry`
queues a delivery for each endpoint that subscribed. Overdue tasks are found by the daily
`parindex remind` run (`overdue_tasks`). So no lower app knows the API exists.

Each delivery is a POST of the JSON payload with the headers

    X-Parindex-Event: results.published
    X-Parindex-Delivery: 42
    X-Parindex-Signature: t=1767225600,v1=<hex HMAC-SHA256 of "t.body" with the endpoint's secret>

A 2xx answer marks it delivered; anything else (or no answer within WEBHOOK_TIMEOUT seconds) is
tried again after 1 min, 5 min, 30 min, 2 h and 12 h, then marked failed. The office reads the
log and replays a delivery from the webhooks page.

How deliveries are run: each attempt is a background job (`parindex/jobs`, decision 0026) of
kind `api.webhook`, one code path whatever started it. `enqueue(delivery)` queues the next
attempt, to run once the transaction that queued it commits, or at its `next_attempt_at`: a
failed attempt enqueues the next one for its time (the queue waits, not a cron), and a replay
enqueues one for now. The job's key names the delivery, the attempt and its time, so queuing
the same attempt twice runs it once; an attempt whose turn has passed (a replay sent it
already) does nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.api.models import Delivery, Endpoint
from parindex.core.formatting import format_datetime
from parindex.jobs import services as jobs
from parindex.jobs.kinds import Outcome, Progress, Refused
from parindex.jobs.models import Job

# Waits before the 2nd, 3rd… attempt; after the last one the delivery is failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
JOB_KIND = "api.webhook"  # each attempt is a background job of this kind


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<timestamp>,v1=<HMAC-SHA256 of "timestamp.body">`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """Whether a signature header is right for the body (what a receiver does; used in tests)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def enqueue(delivery: Delivery, *, by: Any = None) -> Job:
    """Queue the delivery's next attempt as a background job, to run at its `next_attempt_at`
    (at once when that has come). Queuing the same attempt again returns the same job."""
    attempt = delivery.attempts + 1
    due = delivery.next_attempt_at or timezone.now()
    return jobs.enqueue(
        kind=JOB_KIND,
        arguments={
            "delivery": delivery.pk,
            "attempt": attempt,
            "endpoint": delivery.endpoint.name,
            "event": delivery.event,
        },
        by=by,
        key=f"{JOB_KIND}:{delivery.pk}:{attempt}:{due.timestamp():.6f}",
        run_after=due,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer like any other non-2xx: tried again later


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST the body; the answer's status (raises OSError when there is no answer)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def make_attempt(delivery_id: int, attempt: int | None = None) -> Delivery | None:
    """Send one pending delivery now; record the attempt and, on failure, queue the next one
    after its wait (in the same transaction: never lost, never queued twice).

    Returns the delivery when this call made the attempt; None for a delivery already delivered
    or failed, one another worker is sending, or one whose attempt `attempt` was made already.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None or (attempt is not None and delivery.attempts != attempt - 1):
            return None  # nothing waits, or that attempt's turn has passed (a replay sent it)
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "parindex-webhooks/1",
            "X-Parindex-Event": delivery.event,
            "X-Parindex-Delivery": str(delivery.pk),
            "X-Parindex-Signature": sign(delivery.endpoint.secret, int(time.time()), body),
        }
        delivery.attempts += 1
        try:
            status = _post(delivery.endpoint.url, body, headers)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except (OSError, ValueError) as problem:
            status, error = None, str(problem)[:500] or problem.__class__.__name__
        delivery.response_status = status
        delivery.error = error
        now = timezone.now()
        if not error:
            delivery.status = Delivery.Status.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save(
            update_fields=[
                "attempts",
                "response_status",
                "error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        if delivery.status == Delivery.Status.PENDING:
            enqueue(delivery)
        return delivery


def enqueue_pending() -> int:
    """Queue the next attempt of every pending delivery (those already queued are found by
    their key and left as they are): after the job queue was down, or deliveries written
    behind the services' back. Returns how many were looked at."""
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).select_related("endpoint")
    count = 0
    for delivery in pending.order_by("next_attempt_at", "pk").iterator(chunk_size=500):
        enqueue(delivery)
        count += 1
    return count


# --- events ---------------------------------------------------------------------------------------


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _published(entry: Any) -> tuple[str, str, dict[str, Any]] | None:
    from parindex.results.models import Snapshot

    snapshot = Snapshot.objects.select_related("round").filter(pk=entry.object_id).first()
    if snapshot is None:
        return None
    round_ = snapshot.round
    payload = {
        "event": Endpoint.Event.PUBLISHED.value,
        "round": round_.code,
        "year": round_.year,
        "name": round_.name,
        "sha256": snapshot.sha256,
        "published_at": entry.at.isoformat(),
        "results_url": _site(f"/api/v1/rounds/{round_.code}/results"),
    }
    return Endpoint.Event.PUBLISHED.value, f"published:{round_.code}", payload


def _assessment_changed(entry: Any) -> tuple[str, str, dict[str, Any]] | None:
    from parindex.assessments.models import Assessment

    statuses = Assessment.Status.values
    if not isinstance(entry.new, str) or entry.new not in statuses:
        return None  # not a change of status (e.g. the council's approval)
    assessment = (
        Assessment.objects.select_related("round", "unit").filter(pk=entry.object_id).first()
    )
    if assessment is None:
        return None
    payload = {
        "event": Endpoint.Event.ASSESSMENT.value,
        "round": assessment.round.code,
        "unit": assessment.unit.code,
        "status": entry.new,
        "previous_status": entry.old if isinstance(entry.old, str) else None,
        "action": entry.action,
        "at": entry.at.isoformat(),
    }
    return Endpoint.Event.ASSESSMENT.value, f"assessment:{entry.pk}", payload


def event_of(entry: Any) -> tuple[str, str, dict[str, Any]] | None:
    """The webhook event (name, key, payload) an audit entry stands for, if any."""
    if entry.action == "results.published":
        return _published(entry)
    if entry.action.startswith("assessment.") and entry.object_type == "assessments.assessment":
        return _assessment_changed(entry)
    return None


def on_audit_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of an audit entry: queue the webhook event it stands for."""
    if not created or not (
        instance.action == "results.published" or instance.action.startswith("assessment.")
    ):
        return
    if not Endpoint.objects.filter(is_active=True).exists():
        return
    found = event_of(instance)
    if found is not None:
        from parindex.api import services

        services.queue_event(*found)


def overdue_tasks(today: dt.date) -> int:
    """`parindex remind`: queue `task.overdue` for each unit's open task past its deadline
    (once per task, unit and deadline: an extension makes it overdue again later)."""
    from parindex.api import services
    from parindex.monitoring.models import Progress

    wanted = [
        endpoint
        for endpoint in Endpoint.objects.filter(is_active=True)
        if Endpoint.Event.OVERDUE in endpoint.events
    ]
    if not wanted:
        return 0
    queued = 0
    overdue = (
        Progress.objects.filter(
            status__in=[Progress.Status.NOT_STARTED, Progress.Status.IN_PROGRESS],
            deadline__lt=today,
            task__plan__status="issued",
        )
        .select_related("task__plan", "unit")
        .order_by("deadline", "pk")
    )
    for progress in overdue:
        payload = {
            "event": Endpoint.Event.OVERDUE.value,
            "plan": progress.task.plan.code,
            "task": progress.task.code,
            "title": progress.task.title,
            "unit": progress.unit.code,
            "deadline": progress.deadline.isoformat(),
            "status": progress.status,
            "days_overdue": (today - progress.deadline).days,
            "progress_url": _site(f"/api/v1/monitoring/progress/{progress.pk}"),
        }
        key = f"overdue:{progress.pk}:{progress.deadline.isoformat()}"
        queued += len(services.queue_event(Endpoint.Event.OVERDUE.value, key, payload))
    return queued


# --- the job -------------------------------------------------------------------------------------


def run_attempt(job: Job, progress: Progress) -> Outcome:
    """The `api.webhook` job: make one attempt of a delivery. A failed attempt is the job's
    report (its next attempt is queued already, or none is left)."""
    made = make_attempt(job.arguments["delivery"], job.arguments["attempt"])
    if made is None:
        return Outcome(message=_("Nothing to send: this attempt was made already."))
    url = reverse("api:webhook", args=[made.endpoint_id])
    if made.status == Delivery.Status.DELIVERED:
        answer = _("Delivered (HTTP %(status)s).") % {"status": made.response_status}
        return Outcome(message=answer, url=url)
    if made.status == Delivery.Status.FAILED:
        raise Refused(
            [made.error],
            _("Not delivered, and no attempt is left."),
            code="webhook.not_delivered",
        )
    when = format_datetime(made.next_attempt_at)
    raise Refused(
        [made.error],
        _("Not delivered; the next attempt is at %(at)s.") % {"at": when},
        code="webhook.not_delivered",
    )


def may_open_attempt(user: Any, job: Job) -> bool:
    """A delivery's job leads to the endpoint's log: the office's page."""
    return permissions.has(user, "manage_api")


def describe_attempt(job: Job) -> str:
    """What the job list says of an attempt (from its arguments: no query per row)."""
    arguments = job.arguments
    return " · ".join(
        (
            str(arguments.get("endpoint", "")),
            str(arguments.get("event", "")),
            f"#{arguments.get('attempt')}",
        )
    )
