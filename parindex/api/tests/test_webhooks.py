"""Webhooks: events from the audit log and the reminders, signed deliveries, each attempt a
background job, retries with back-off queued for their time, the log and its replay. A small
HTTP server on loopback plays the other system."""

from __future__ import annotations

import datetime as dt
import http.server
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from parindex.api import services, webhooks
from parindex.api.models import Delivery, Endpoint
from parindex.api.tests.loopback import LoopbackServer
from parindex.jobs import services as jobs
from parindex.jobs.models import Job


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

        self.server = LoopbackServer(Handler)
        self.url = f"{self.server.url}/hook"

    def close(self) -> None:
        self.server.close()


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
    assert webhooks.make_attempt(delivery.pk).status == Delivery.Status.DELIVERED
    headers, body = receiver.received[0]
    assert headers["X-Parindex-Event"] == "results.published"
    assert headers["X-Parindex-Delivery"] == str(delivery.pk)
    assert webhooks.verify(endpoint.secret, headers["X-Parindex-Signature"], body)
    assert not webhooks.verify("whsec_other", headers["X-Parindex-Signature"], body)
    assert not webhooks.verify(endpoint.secret, headers["X-Parindex-Signature"], body + b" ")
    assert json.loads(body) == {"event": "results.published", "round": "R2024"}
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (1, 200)
    assert webhooks.make_attempt(delivery.pk) is None  # delivered: not sent twice
    assert len(receiver.received) == 1


def _attempt_jobs(delivery):
    """The delivery's attempt jobs, in the order they were queued."""
    return list(
        Job.objects.filter(kind=webhooks.JOB_KIND, arguments__delivery=delivery.pk).order_by("pk")
    )


def test_each_failed_attempt_queues_the_next_as_a_job_with_growing_waits(endpoint, receiver):
    receiver.status = 503
    delivery = _delivery(endpoint)
    webhooks.enqueue(delivery)  # the first attempt runs at once (the tests' immediate queue)
    waits = []
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        job = _attempt_jobs(delivery)[attempt - 1]
        if attempt > 1:  # queued for its time by the attempt before: the test's queue waits
            assert (job.state, job.arguments["attempt"]) == (Job.State.QUEUED, attempt)
            jobs.run(job.pk)
            job.refresh_from_db()
        assert (job.state, job.code) == (Job.State.FAILED, "webhook.not_delivered")
        assert job.problems == ["HTTP 503"]
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert waits == [1, 5, 30, 120, 720]
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "HTTP 503"
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    assert len(_attempt_jobs(delivery)) == webhooks.MAX_ATTEMPTS  # none after the last


def test_the_database_queue_sends_a_retry_only_when_its_time_comes(
    endpoint, receiver, settings, monkeypatch
):
    """The real queue (django-tasks-db) and its worker: the first attempt fails, the second
    is a task to run at the delivery's next attempt time; the worker leaves it until then."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    receiver.status = 500
    delivery = _delivery(endpoint)
    webhooks.enqueue(delivery)
    assert receiver.received == []  # queued, not sent: the worker sends it
    call_command("jobs_worker", batch=True, verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.attempts, len(receiver.received)) == (1, 1)
    call_command("jobs_worker", batch=True, verbosity=0)
    assert len(receiver.received) == 1  # the retry waits for its time
    receiver.status = 204
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1), tick=True):
        call_command("jobs_worker", batch=True, verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == (
        Delivery.Status.DELIVERED,
        2,
        2,
    )
    assert [job.state for job in _attempt_jobs(delivery)] == [
        Job.State.FAILED,
        Job.State.SUCCEEDED,
    ]


def test_no_answer_is_an_error_too(par_officer):
    endpoint = services.create_endpoint(
        by=par_officer, name="Down", url="http://127.0.0.1:9/none", events=["task.overdue"]
    )
    delivery = _delivery(endpoint)
    assert webhooks.make_attempt(delivery.pk).status == Delivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert delivery.error


def test_the_command_queues_what_waits_without_a_job_and_nothing_twice(endpoint, receiver):
    due = _delivery(endpoint, "due")  # written behind the services' back: no job yet
    later = _delivery(endpoint, "later")
    Delivery.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert webhooks.enqueue_pending() == 2
    assert Delivery.objects.get(pk=due.pk).status == Delivery.Status.DELIVERED
    assert Delivery.objects.get(pk=later.pk).status == Delivery.Status.PENDING
    waiting = _attempt_jobs(later)
    assert [job.state for job in waiting] == [Job.State.QUEUED]  # for its time
    assert webhooks.enqueue_pending() == 1
    assert _attempt_jobs(later) == waiting  # the same attempt is not queued again
    assert len(receiver.received) == 1


def test_the_office_replays_a_failed_delivery(endpoint, receiver, par_officer):
    delivery = _delivery(endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=6)
    delivery.refresh_from_db()
    job = services.replay_delivery(by=par_officer, delivery=delivery)
    job.refresh_from_db()
    assert (job.state, job.by, job.arguments["attempt"]) == (Job.State.SUCCEEDED, par_officer, 7)
    assert job.result_url == f"/api/webhooks/{endpoint.pk}/"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 7


def test_a_replay_makes_the_retry_queued_for_later_do_nothing(endpoint, receiver, par_officer):
    receiver.status = 503
    delivery = _delivery(endpoint)
    webhooks.enqueue(delivery)
    scheduled = _attempt_jobs(delivery)[-1]
    receiver.status = 200
    services.replay_delivery(by=par_officer, delivery=Delivery.objects.get(pk=delivery.pk))
    jobs.run(scheduled.pk)  # its time came after the replay sent attempt 2
    scheduled.refresh_from_db()
    assert scheduled.state == Job.State.SUCCEEDED
    assert Delivery.objects.get(pk=delivery.pk).attempts == 2
    assert len(receiver.received) == 2


def test_publication_queues_and_sends_the_event(endpoint, receiver, par_officer):
    from parindex.results import services as results_services
    from parindex.results.tests.conftest import scored_world

    world = scored_world(par_officer)  # publishes R2024: the endpoint listens already
    delivery = Delivery.objects.get(event="results.published")
    assert delivery.key == "published:R2024"
    assert delivery.payload["sha256"] == world.snapshot.sha256
    # A background job sends it (in the tests' immediate queue, at once).
    from parindex.rounds.models import Round

    Round.objects.filter(pk=world.current.pk).update(status=Round.Status.FINALISED)
    world.current.refresh_from_db()
    snapshot = results_services.publish_round(by=par_officer, round_=world.current)
    assert [job.state for job in _attempt_jobs(Delivery.objects.get(key="published:R2025"))] == [
        Job.State.SUCCEEDED
    ]
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
