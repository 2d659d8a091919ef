"""Pages of background jobs: the list, a job's progress (polled with htmx), its result file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.jobs import queries, services
from parindex.jobs.models import Job

PER_PAGE = 50


@require_GET
@login_required
def job_list(request: AuthedRequest) -> HttpResponse:
    """The user's background jobs, newest first (the PAR office sees everyone's)."""
    context = paginate(request, queries.jobs_for(request.user), per_page=PER_PAGE)
    context["rows"] = [(job, queries.label(job)) for job in context["page_obj"].object_list]
    return render(request, "jobs/list.html", context)


def _context(request: AuthedRequest, job: Job) -> dict[str, object]:
    if job.state == Job.State.RUNNING and services.recover_stale(job=job):
        job.refresh_from_db()  # its worker died: it is queued again
    opens = job.state == Job.State.SUCCEEDED and queries.may_open_result(request.user, job)
    return {"job": job, "label": queries.label(job), "opens_result": opens}


@require_GET
@login_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A job's page: a progress bar while it runs, then its result or its report."""
    job = queries.get_job_for_user(request.user, pk)
    context = _context(request, job)
    if request.htmx:
        return render(request, "jobs/detail.html#progress", context)
    return render(request, "jobs/detail.html", context)


@require_GET
@login_required
@limits.download
def job_download(request: AuthedRequest, pk: int) -> FileResponse:
    """The file a finished job produced, under the rule of the page it was asked from."""
    job = queries.get_result_for_user(request.user, pk)
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
