"""Writes of background jobs: enqueue (idempotent), run (claim, heartbeat, finish), recover.

A job's row is the truth; the queue carries only its id. Delivering the same id twice is
harmless (a finished job, or one another worker is running, is left alone), so a job is safe to
send again whenever in doubt: that is how a job left "running" by a worker that died is retried
(`recover_stale`, run when a worker starts and when anyone looks at the stale job).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import audit, refusals
from parindex.core.models import AuditEntry
from parindex.jobs import kinds
from parindex.jobs.models import Job

log = logging.getLogger(__name__)

# How many times a job is started before it is given up (a worker dying mid-job counts).
MAX_ATTEMPTS = 3


def heartbeat_seconds() -> float:
    """How often a running job proves its worker alive (0: never; the tests' in-process runs)."""
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 15))


def stale_after() -> dt.timedelta:
    """A running job silent for this long belongs to a dead worker and is retried."""
    return dt.timedelta(seconds=float(getattr(settings, "JOBS_STALE_SECONDS", 60)))


def default_key(kind: str, arguments: dict[str, Any]) -> str:
    """The idempotency key of a kind and its arguments (the same work gives the same key)."""
    text = json.dumps({"kind": kind, "arguments": arguments}, sort_keys=True, default=str)
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def data_revision() -> str:
    """The latest change to anything (every write is audited; jobs' own entries and downloads
    left out): a key part that makes work on changed data a new job, and the same work on the
    same data the same job."""
    latest = AuditEntry.objects.exclude(object_type__in=("jobs.job", "download")).aggregate(
        last=Max("pk")
    )
    return str(latest["last"] or 0)


def _audit(job: Job, action: str, *, by: Any, **values: Any) -> None:
    """Audit a job's own step. Unlike a change of data it leaves the data revision alone
    (`core.revisions`): queuing or finishing a job changes no figure, so the cached results
    stay valid (the work a job does records its own changes through its services)."""
    audit.record_event(
        action,
        by=by,
        object_type=Job._meta.label_lower,
        object_id=str(job.pk),
        object_repr=str(job),
        **values,
    )


def _queue_is_external() -> bool:
    """Whether the queue lives outside the database (RQ on Redis), so that a task must only be
    sent once the job's row is committed. The database queue's task row commits (or not)
    with the job's; the immediate backend runs the job at once, inside the caller's work."""
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_rq.")


def send(job_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Hand the job's id to the queue: now, or once the transaction commits (Redis); to be run
    at once, or not before `run_after`."""
    if _queue_is_external():
        transaction.on_commit(lambda: _send(job_id, run_after))
    else:
        _send(job_id, run_after)


def _send(job_id: int, run_after: dt.datetime | None = None) -> None:
    """Hand the job's id to the queue (after the enqueuing transaction commits)."""
    from parindex.jobs.tasks import run_job

    if run_after is not None and run_after <= timezone.now():
        run_after = None
    if run_after is not None and not run_job.get_backend().supports_defer:
        # The immediate backend (tests, debugging) cannot wait: the job stays queued until
        # someone runs it (`services.run`), rather than running before its time.
        log.info("job %s waits until %s: the task backend cannot defer it", job_id, run_after)
        return
    try:
        (run_job.using(run_after=run_after) if run_after else run_job).enqueue(job_id)
    except Exception:  # the queue is down: say so on the job rather than lose it silently
        log.exception("could not enqueue job %s", job_id)
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.FAILED,
            message=_("The job queue could not be reached; try again later."),
            finished_at=timezone.now(),
        )


def enqueue(
    *,
    kind: str,
    arguments: dict[str, Any],
    by: Any,
    key: str = "",
    run_after: dt.datetime | None = None,
) -> Job:
    """Start a job of `kind` (not before `run_after`, when given), or return the job already
    started under the same key.

    A job of that key that failed is queued again (the same row: press the button again after
    fixing what it reported).
    """
    kinds.get(kind)  # a kind nobody registered is a programming error, not a queued failure
    key = key or default_key(kind, arguments)
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        job, created = Job.objects.select_for_update().get_or_create(
            key=key, defaults={"kind": kind, "arguments": arguments, "by": user}
        )
        if created:
            _audit(job, "job.enqueued", by=user, new={"kind": kind, "arguments": arguments})
        elif job.state == Job.State.FAILED:
            _reset(job)
            _audit(job, "job.retried", by=user, reason=_("started again"))
        else:
            return job
    send(job.pk, run_after=run_after)
    return job


def _reset(job: Job) -> None:
    """A failed job back to the start, its report and result cleared."""
    job.state = Job.State.QUEUED
    job.done = job.total = job.attempts = 0
    job.problems, job.code, job.codes = [], "", []
    job.message = job.worker = job.result_url = job.result_name = ""
    job.result_file = None
    job.heartbeat_at = job.started_at = job.finished_at = None
    job.save()


# --- running ----------------------------------------------------------------------------------


def _claim(job_id: int, worker: str) -> Job | None:
    """Mark the job running for `worker`, or None when there is nothing to run (finished, or
    running under a live worker: a second delivery of the same id)."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.state == Job.State.RUNNING and not _is_stale(job, now):
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.state = Job.State.FAILED
            job.message = _("The job was stopped %(n)d times before it could finish.") % {
                "n": job.attempts
            }
            job.finished_at = now
            job.save()
            _audit(job, "job.failed", by=job.by, new={"message": job.message})
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.worker = worker
        job.started_at = job.heartbeat_at = now
        job.save()
    return job


def _is_stale(job: Job, now: Any) -> bool:
    return job.heartbeat_at is None or job.heartbeat_at < now - stale_after()


def _save_progress(job: Job) -> None:
    Job.objects.filter(pk=job.pk, worker=job.worker).update(
        done=job.done, total=job.total, message=job.message, heartbeat_at=timezone.now()
    )


@contextmanager
def _heartbeat(job: Job) -> Iterator[None]:
    """While the work runs, a thread proves the worker alive every few seconds."""
    interval = heartbeat_seconds()
    if interval <= 0:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                Job.objects.filter(pk=job.pk, worker=job.worker).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run(job_id: int, *, worker: str = "") -> Job | None:
    """Run a queued job to its end: the work of its kind, then its state, report and result."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    job = _claim(job_id, worker)
    if job is None:
        return None
    kind = kinds.get(job.kind)
    try:
        with _heartbeat(job):
            outcome = kind.run(job, kinds.Progress(job, _save_progress))
    except refusals.Refused as refused:
        summary = refused.summary if isinstance(refused, kinds.Refused) else ""
        _finish(
            job, Job.State.FAILED, message=summary or _("Nothing was changed."), refused=refused
        )
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.State.FAILED,
            message=_("The job stopped on an unexpected error; nothing was changed."),
        )
    else:
        _finish(job, Job.State.SUCCEEDED, outcome=outcome)
    return job


def _finish(
    job: Job,
    state: str,
    *,
    message: str = "",
    refused: refusals.Refused | None = None,
    outcome: kinds.Outcome | None = None,
) -> None:
    job.state = state
    job.finished_at = timezone.now()
    job.problems = refused.problems if refused else []
    job.code = refused.code if refused else ""
    job.codes = refused.codes if refused else []
    job.message = message
    if outcome is not None:
        job.message = outcome.message
        job.result_url = outcome.url
        if outcome.file is not None:
            job.result_name = outcome.file_name
            job.result_file.save(outcome.file_name, ContentFile(outcome.file), save=False)
    if job.total:
        job.done = job.total
    job.save()
    _audit(
        job,
        f"job.{state}",
        by=job.by,
        new={"message": job.message, "problems": len(job.problems), "file": job.result_name},
    )


# --- recovery ---------------------------------------------------------------------------------


def recover_stale(*, job: Job | None = None) -> int:
    """Queue again every running job whose worker stopped proving itself alive (or just `job`).

    Returns how many were sent again; each is audited. Safe to call from several processes:
    the job is sent again only by the one that flips it back to queued.
    """
    limit = timezone.now() - stale_after()
    candidates = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=limit)
    if job is not None:
        candidates = candidates.filter(pk=job.pk)
    sent = 0
    for stale in candidates.only("pk", "worker"):
        flipped = Job.objects.filter(
            pk=stale.pk, state=Job.State.RUNNING, worker=stale.worker, heartbeat_at__lt=limit
        ).update(
            state=Job.State.QUEUED,
            worker="",
            message=_("The worker running this job stopped; it has been queued again."),
        )
        if flipped:
            _audit(stale, "job.requeued", by=None, old={"worker": stale.worker})
            send(stale.pk)
            sent += 1
    return sent
