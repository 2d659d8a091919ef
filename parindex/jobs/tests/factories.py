"""Test kinds of job and finished jobs, for the jobs app's tests and the permission matrix."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from parindex.jobs import kinds
from parindex.jobs.models import Job

ran: list[int] = []  # ids of the jobs the "test.echo" kind ran, in order


def _echo(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    ran.append(job.pk)
    args = job.arguments
    if args.get("problems"):
        raise kinds.Refused(
            args["problems"], code=args.get("code", ""), codes=args.get("codes", ())
        )
    if args.get("crash"):
        raise RuntimeError("boom")
    progress.step(1, 2, "half way")
    progress.step(2, 2)
    text = args.get("text", "")
    if args.get("file"):
        return kinds.Outcome(message="written", file=text.encode(), file_name="echo.txt")
    return kinds.Outcome(message=f"echo {text}", url="/")


def _may_open(user: Any, job: Job) -> bool:
    return not job.arguments.get("closed")


def register_test_kinds() -> None:
    kinds.register(kinds.JobKind("test.echo", "Echo", _echo, may_open=_may_open))


def make_job(by: Any, *, state: str = Job.State.SUCCEEDED, **arguments: Any) -> Job:
    """A job row as a worker would have left it (no task is sent)."""
    register_test_kinds()
    job = Job.objects.create(
        kind="test.echo",
        arguments=arguments,
        key=f"test-{Job.objects.count()}-{by.pk if by else 0}",
        by=by,
        state=state,
    )
    if state == Job.State.SUCCEEDED:
        job.finished_at = timezone.now()
        job.result_file.save("echo.txt", ContentFile(b"hello"), save=False)
        job.result_name = "echo.txt"
        job.save()
    return job
