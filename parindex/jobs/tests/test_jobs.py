"""Background jobs: enqueued once per key, run to their end, reported, and retried when their
worker dies; the real database queue's worker runs them too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from parindex.core.models import AuditEntry
from parindex.jobs import services
from parindex.jobs.models import Job
from parindex.jobs.tests.factories import ran, register_test_kinds


@pytest.fixture(autouse=True)
def _kinds():
    register_test_kinds()
    ran.clear()


def _enqueue(capture, user, **arguments):
    with capture(execute=True):
        job = services.enqueue(kind="test.echo", arguments=arguments, by=user)
    job.refresh_from_db()
    return job


def test_a_job_runs_to_its_result_with_progress_and_audit(
    django_capture_on_commit_callbacks, unit_editor
):
    job = _enqueue(django_capture_on_commit_callbacks, unit_editor, text="hi")
    assert (job.state, job.message, job.result_url) == (Job.State.SUCCEEDED, "echo hi", "/")
    assert (job.done, job.total, job.percent, job.attempts) == (2, 2, 100, 1)
    assert job.started_at <= job.finished_at
    actions = list(
        AuditEntry.objects.filter(object_id=str(job.pk), object_type="jobs.job").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["job.enqueued", "job.succeeded"]


def test_a_job_writes_its_file_into_storage(django_capture_on_commit_callbacks, unit_editor):
    job = _enqueue(django_capture_on_commit_callbacks, unit_editor, text="xyz", file=True)
    assert job.result_name == "echo.txt"
    with job.result_file.open("rb") as stored:
        assert stored.read() == b"xyz"


def test_the_same_key_returns_the_existing_job_and_runs_once(
    django_capture_on_commit_callbacks, unit_editor
):
    first = _enqueue(django_capture_on_commit_callbacks, unit_editor, text="once")
    again = _enqueue(django_capture_on_commit_callbacks, unit_editor, text="once")
    other = _enqueue(django_capture_on_commit_callbacks, unit_editor, text="twice")
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert ran == [first.pk, other.pk]


def test_a_refused_job_keeps_every_problem_and_a_new_request_runs_it_again(
    django_capture_on_commit_callbacks, unit_editor
):
    job = _enqueue(django_capture_on_commit_callbacks, unit_editor, problems=["Row 2: x", "Row 3"])
    assert (job.state, job.code) == (Job.State.FAILED, "job.refused")
    assert job.problems == ["Row 2: x", "Row 3"]
    again = _enqueue(
        django_capture_on_commit_callbacks, unit_editor, problems=["Row 2: x", "Row 3"]
    )
    assert again.pk == job.pk
    assert ran == [job.pk, job.pk]
    assert AuditEntry.objects.filter(action="job.retried", object_id=str(job.pk)).count() == 1


def test_a_refused_job_keeps_the_code_of_its_refusal_and_of_each_problem(
    django_capture_on_commit_callbacks, unit_editor
):
    job = _enqueue(
        django_capture_on_commit_callbacks,
        unit_editor,
        problems=["Row 2: x", "Row 3: y"],
        code="units_file.invalid",
        codes=["unit.no_name", "units_file.duplicate_code"],
    )
    assert (job.state, job.code) == (Job.State.FAILED, "units_file.invalid")
    assert job.codes == ["unit.no_name", "units_file.duplicate_code"]


def test_an_unexpected_error_fails_the_job_without_a_traceback_for_the_user(
    django_capture_on_commit_callbacks, unit_editor
):
    job = _enqueue(django_capture_on_commit_callbacks, unit_editor, crash=True)
    assert job.state == Job.State.FAILED
    assert "boom" not in job.message
    assert job.message


def test_an_unknown_kind_is_a_programming_error(unit_editor):
    with pytest.raises(ImproperlyConfigured, match="no.such"):
        services.enqueue(kind="no.such", arguments={}, by=unit_editor)


def _running(user, *, seconds_ago: int, attempts: int = 1) -> Job:
    return Job.objects.create(
        kind="test.echo",
        arguments={"text": "again"},
        key=f"stale-{seconds_ago}-{attempts}",
        by=user,
        state=Job.State.RUNNING,
        worker="dead-host:1:abc",
        attempts=attempts,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )


def test_a_job_left_running_by_a_dead_worker_is_retried(
    django_capture_on_commit_callbacks, unit_editor
):
    stale = _running(unit_editor, seconds_ago=600)
    alive = _running(unit_editor, seconds_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stale() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.state, stale.attempts, stale.message) == (Job.State.SUCCEEDED, 2, "echo again")
    assert alive.state == Job.State.RUNNING
    assert ran == [stale.pk]
    assert AuditEntry.objects.filter(action="job.requeued", object_id=str(stale.pk)).exists()


def test_a_second_delivery_of_a_running_or_finished_job_does_nothing(unit_editor):
    alive = _running(unit_editor, seconds_ago=1)
    assert services.run(alive.pk) is None
    alive.state = Job.State.SUCCEEDED
    alive.save()
    assert services.run(alive.pk) is None
    assert ran == []


def test_a_job_whose_worker_keeps_dying_is_given_up(unit_editor):
    job = _running(unit_editor, seconds_ago=600, attempts=services.MAX_ATTEMPTS)
    assert services.run(job.pk) is None
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "3" in job.message
    assert ran == []


def test_the_database_queue_worker_runs_jobs_and_those_a_dead_worker_left(
    settings, monkeypatch, unit_editor
):
    """The real queue: django-tasks-db stores the task, `parindex worker --batch` runs it, and
    first queues again the job a killed worker left running. (Inside the test's transaction:
    the worker's check for stale connections would close the test's own, so it is skipped.)"""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    queued = services.enqueue(kind="test.echo", arguments={"text": "db"}, by=unit_editor)
    stale = _running(unit_editor, seconds_ago=600)
    assert ran == []  # nothing runs until a worker does
    call_command("jobs_worker", batch=True, verbosity=0)
    queued.refresh_from_db()
    stale.refresh_from_db()
    assert queued.state == stale.state == Job.State.SUCCEEDED
    assert sorted(ran) == sorted([queued.pk, stale.pk])


def test_a_job_for_later_waits_for_its_time_on_the_database_queue_and_by_hand_in_tests(
    settings, monkeypatch, unit_editor
):
    """`run_after`: the database queue's worker leaves the job until its time; the tests'
    immediate queue cannot wait, so it leaves the job queued instead of running it early."""
    import time_machine
    from django_tasks_db.management.commands import db_worker

    later = timezone.now() + dt.timedelta(minutes=5)
    waiting = services.enqueue(
        kind="test.echo", arguments={"text": "later"}, by=unit_editor, run_after=later
    )
    assert (Job.objects.get(pk=waiting.pk).state, ran) == (Job.State.QUEUED, [])
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    queued = services.enqueue(
        kind="test.echo", arguments={"text": "db"}, by=unit_editor, run_after=later
    )
    call_command("jobs_worker", batch=True, verbosity=0)
    assert ran == []
    with time_machine.travel(later + dt.timedelta(seconds=1), tick=True):
        call_command("jobs_worker", batch=True, verbosity=0)
    assert ran == [queued.pk]


def test_a_jobs_own_steps_leave_the_data_revision_and_so_the_cached_results_alone(
    unit_editor,
):
    from parindex.core import revisions

    before = revisions.current()
    job = services.enqueue(kind="test.echo", arguments={"text": "x"}, by=unit_editor)
    assert Job.objects.get(pk=job.pk).state == Job.State.SUCCEEDED
    assert AuditEntry.objects.filter(object_id=str(job.pk), object_type="jobs.job").count() == 2
    assert revisions.current() == before
