"""The RQ backend for real: a job enqueued through Django's Tasks API lands in Redis, and
`parindex worker --batch` (RQ's own worker, in burst mode, with its scheduler) runs it, now or
at its time. Skipped, with the reason, only when Redis does not answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from rq.worker import SimpleWorker

from parindex.jobs import services
from parindex.jobs.models import Job
from parindex.jobs.tests.factories import ran, register_test_kinds

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own (the cache test uses 15), emptied


class BurstWorker(SimpleWorker):
    """RQ's in-process worker without its command channel (a burst run takes no commands).
    Stopping that channel's thread before it has subscribed waits out its 60 s poll."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


@pytest.fixture
def redis_queue(settings):
    """The RQ backend on Redis database 14, as TASKS_BACKEND=rq configures it; skipped when
    Redis is unreachable. RQ's in-process worker class: a forked work horse would write to a
    copy of the tests' in-memory SQLite database."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL} ({error}); RQ backend not tested")
    connection.flushdb()
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.RQ = {"WORKER_CLASS": f"{__name__}.BurstWorker"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    register_test_kinds()
    ran.clear()
    yield connection
    connection.flushdb()
    connection.close()


# The worker closes the database connections before it works (as before forking): the job's
# row must be committed, as it is in production once the request ends.
@pytest.mark.django_db(transaction=True)
def test_a_real_rq_worker_runs_the_job_enqueued_in_redis(redis_queue, unit_editor):
    job = services.enqueue(kind="test.echo", arguments={"text": "rq"}, by=unit_editor)
    assert redis_queue.llen("rq:queue:default") == 1  # in Redis, waiting for a worker
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    call_command("jobs_worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert (job.state, job.message, job.attempts) == (Job.State.SUCCEEDED, "echo rq", 1)
    assert ran == [job.pk]
    assert redis_queue.llen("rq:queue:default") == 0


@pytest.mark.django_db(transaction=True)
def test_rqs_scheduler_holds_a_job_for_later_until_its_time(redis_queue, unit_editor):
    import time_machine

    later = timezone.now() + dt.timedelta(minutes=5)
    job = services.enqueue(
        kind="test.echo", arguments={"text": "later"}, by=unit_editor, run_after=later
    )
    assert redis_queue.zcard("rq:scheduled:default") == 1
    call_command("jobs_worker", batch=True, verbosity=0)
    assert (Job.objects.get(pk=job.pk).state, ran) == (Job.State.QUEUED, [])
    with time_machine.travel(later + dt.timedelta(seconds=1), tick=True):
        call_command("jobs_worker", batch=True, verbosity=0)
    assert Job.objects.get(pk=job.pk).state == Job.State.SUCCEEDED
    assert ran == [job.pk]
