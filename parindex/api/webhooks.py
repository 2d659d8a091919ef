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

How deliveries are run: `enqueue(delivery_id)` is the one switch. With WEBHOOK_DELIVERY=inline
(the default) a delivery is sent right after the transaction that queued it commits; with
`command`, `parindex webhooks deliver` (cron, every minute) sends what is due. Retries are
always sent by that command.
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
from django.utils import timezone

from parindex.api.models import Delivery, Endpoint

# Waits before the 2nd, 3rd… attempt; after the last one the delivery is failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1


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


def enqueue(delivery_id: int) -> None:
    """Have a delivery sent: after the current transaction commits (inline), or left for
    `parindex webhooks deliver` (WEBHOOK_DELIVERY=command)."""
    if getattr(settings, "WEBHOOK_DELIVERY", "inline") == "inline":
        transaction.on_commit(lambda: deliver(delivery_id))


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


def deliver(delivery_id: int) -> str:
    """Send one pending delivery now; record the attempt and schedule a retry on failure.

    Returns the delivery's status afterwards. A delivery already delivered or failed, or one
    another worker is sending, is left alone.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return (
                Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
                or ""
            )
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
        return delivery.status


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every pending delivery whose time has come; count the outcomes."""
    now = now or timezone.now()
    counts = {"delivered": 0, "pending": 0, "failed": 0}
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    for delivery_id in list(due.order_by("next_attempt_at", "pk")[:500]):
        status = deliver(delivery_id)
        if status in counts:
            counts[status] += 1
    return counts


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
