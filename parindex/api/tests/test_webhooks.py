"""Webhooks: events from the audit log and the reminders, signed deliveries, retries with
back-off, the log and its replay. A small HTTP server on loopback plays the other system."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading

import pytest
from django.utils import timezone

from parindex.api import services, webhooks
from parindex.api.models import Delivery, Endpoint


class Receiver:
    """A loopback HTTP server answering `status` to each POST and keeping what it got."""

    def __init__(self) -> None:
        self.status = 200
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def endpoint(par_officer, receiver):
    return services.create_endpoint(
        by=par_officer, name="IOC", url=receiver.url, events=Endpoint.Event.values
    )


def _delivery(endpoint, key="k1"):
    return Delivery.objects.create(
        endpoint=endpoint,
        event=Endpoint.Event.PUBLISHED,
        key=key,
        payload={"event": "results.published", "round": "R2024"},
        next_attempt_at=timezone.now(),
    )


def test_a_delivery_is_signed_with_the_endpoints_secret(endpoint, receiver):
    delivery = _delivery(endpoint)
    assert webhooks.deliver(delivery.pk) == Delivery.Status.DELIVERED
    headers, body = receiver.received[0]
    assert headers["X-Parindex-Event"] == "results.published"
    assert headers["X-Parindex-Delivery"] == str(delivery.pk)
    assert webhooks.verify(endpoint.secret, headers["X-Parindex-Signature"], body)
    assert not webhooks.verify("whsec_other", headers["X-Parindex-Signature"], body)
    assert not webhooks.verify(endpoint.secret, headers["X-Parindex-Signature"], body + b" ")
    assert json.loads(body) == {"event": "results.published", "round": "R2024"}
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (1, 200)
    assert webhooks.deliver(delivery.pk) == Delivery.Status.DELIVERED  # not sent twice
    assert len(receiver.received) == 1


def test_a_failed_delivery_is_retried_with_growing_waits_then_failed(endpoint, receiver):
    receiver.status = 503
    delivery = _delivery(endpoint)
    waits = []
    for _attempt in range(webhooks.MAX_ATTEMPTS):
        before = timezone.now()
        webhooks.deliver(delivery.pk)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 5, 30, 120, 720]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "HTTP 503"
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_no_answer_is_an_error_too(par_officer):
    endpoint = services.create_endpoint(
        by=par_officer, name="Down", url="http://127.0.0.1:9/none", events=["task.overdue"]
    )
    delivery = _delivery(endpoint)
    assert webhooks.deliver(delivery.pk) == Delivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert delivery.error


def test_the_command_sends_only_what_is_due(endpoint, receiver):
    due = _delivery(endpoint, "due")
    later = _delivery(endpoint, "later")
    Delivery.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert webhooks.deliver_due() == {"delivered": 1, "pending": 0, "failed": 0}
    assert Delivery.objects.get(pk=due.pk).status == Delivery.Status.DELIVERED
    assert Delivery.objects.get(pk=later.pk).status == Delivery.Status.PENDING


def test_the_office_replays_a_failed_delivery(
    endpoint, receiver, par_officer, django_capture_on_commit_callbacks
):
    delivery = _delivery(endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=6)
    delivery.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.replay_delivery(by=par_officer, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 7


def test_publication_queues_and_sends_the_event(
    endpoint, receiver, par_officer, django_capture_on_commit_callbacks
):
    from parindex.results import services as results_services
    from parindex.results.tests.conftest import scored_world

    world = scored_world(par_officer)  # publishes R2024: the endpoint listens already
    delivery = Delivery.objects.get(event="results.published")
    assert delivery.key == "published:R2024"
    assert delivery.payload["sha256"] == world.snapshot.sha256
    # The inline delivery runs when the publication commits.
    from parindex.rounds.models import Round

    Round.objects.filter(pk=world.current.pk).update(status=Round.Status.FINALISED)
    world.current.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = results_services.publish_round(by=par_officer, round_=world.current)
    headers, body = receiver.received[-1]
    assert headers["X-Parindex-Event"] == "results.published"
    assert json.loads(body)["sha256"] == snapshot.sha256


def test_an_assessment_status_change_is_an_event(endpoint, par_officer):
    from parindex.assessments import services as assessment_services
    from parindex.assessments.models import Assessment
    from parindex.results.tests.conftest import scored_world

    world = scored_world(par_officer)
    assessment = Assessment.objects.get(round=world.current, unit=world.home)
    Delivery.objects.all().delete()
    assessment_services.reopen(
        assessment=assessment,
        by=par_officer,
        reason="Bổ sung minh chứng",
        to=Assessment.Status.DRAFT,
        until_on=dt.date.today() + dt.timedelta(days=10),
    )
    events = list(Delivery.objects.filter(event="assessment.status_changed"))
    assert len(events) == 1
    assert events[0].payload == {
        "event": "assessment.status_changed",
        "round": world.current.code,
        "unit": world.home.code,
        "status": "draft",
        "previous_status": "in_appraisal",
        "action": "assessment.reopened",
        "at": events[0].payload["at"],
    }


def test_a_paused_endpoint_gets_nothing(endpoint, par_officer):
    services.set_endpoint_active(by=par_officer, endpoint=endpoint, is_active=False)
    assert services.queue_event("results.published", "published:X", {}) == []


def test_overdue_tasks_are_told_once_per_deadline(endpoint, home_progress, par_officer, clock):
    assert webhooks.overdue_tasks(dt.date(2026, 6, 30)) == 0  # due that day, not yet overdue
    assert webhooks.overdue_tasks(dt.date(2026, 7, 1)) == 2  # HOME and OTHER lead the task
    assert webhooks.overdue_tasks(dt.date(2026, 7, 2)) == 0  # told already
    payload = Delivery.objects.filter(event="task.overdue").order_by("pk").first().payload
    assert payload["plan"] == "KH-2026" and payload["days_overdue"] == 1
