"""Reads of background jobs: whose jobs a user sees (their own; the PAR office sees all)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parindex.accounts import permissions
from parindex.jobs import kinds
from parindex.jobs.models import Job


def jobs_for(user: Any) -> QuerySet[Job]:
    """The jobs a user may see, newest first."""
    jobs = Job.objects.select_related("by")
    if permissions.has(user, "view_all_jobs"):
        return jobs
    return jobs.filter(by=user)


def get_job_for_user(user: Any, pk: int) -> Job:
    """A job the user may see; 404 to everyone else (a job's existence does not leak)."""
    return get_object_or_404(jobs_for(user), pk=pk)


def may_open_result(user: Any, job: Job) -> bool:
    """Whether the user may follow the job's result: their own page rule asked again now."""
    check = kinds.get(job.kind).may_open
    return check is None or check(user, job)


def get_result_for_user(user: Any, pk: int) -> Job:
    """A finished job whose result file the user may download (the page's rule, asked again)."""
    job = get_job_for_user(user, pk)
    if job.state != Job.State.SUCCEEDED or not job.result_file:
        raise PermissionDenied
    if not may_open_result(user, job):
        raise PermissionDenied
    return job


def label(job: Job) -> str:
    """The job's kind as people read it, with what it was about."""
    kind = kinds.get(job.kind)
    text = str(kind.label)
    if kind.describe is not None:
        text = f"{text}: {kind.describe(job)}"
    return text
