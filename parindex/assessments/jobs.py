"""Assessments' background job: the scores import from a file uploaded in the browser, run by a
worker with the service `parindex scores import` runs in the foreground (all or nothing, every
row's problem listed). Registered in `AssessmentsConfig.ready()`."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.assessments import scorefile, services
from parindex.jobs import kinds
from parindex.jobs import services as jobs
from parindex.jobs.models import Job
from parindex.rounds import queries as rounds_queries
from parindex.rounds.models import Round

UPLOADS = "jobs/uploads"


def run_import(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    round_ = Round.objects.get(pk=job.arguments["round"])
    stored, name = job.arguments["file"], job.arguments["name"]
    dry_run = bool(job.arguments.get("dry_run"))
    progress.step(0, 2, _("Reading the file…"))
    try:
        with default_storage.open(stored, "rb") as stream:
            rows = scorefile.read(stream, name)
        progress.step(1, 2, _("Checking and saving %(n)d rows…") % {"n": len(rows)})
        counts = services.import_scores(round_=round_, rows=rows, by=job.by, dry_run=dry_run)
    except (scorefile.FileUnreadable, services.ImportFailed):
        default_storage.delete(stored)
        raise  # the job keeps the refusal's problems and codes
    default_storage.delete(stored)  # kept only while a retry may need it
    summary = (
        _("%(self)d self-assessed, %(appraised)d appraised, %(survey)d survey values") % counts
    )
    if dry_run:
        summary += " " + _("(dry run: nothing saved)")
    return kinds.Outcome(message=summary, url=reverse("rounds:detail", args=[round_.pk]))


def may_open(user: Any, job: Job) -> bool:
    try:
        rounds_queries.get_round_for_office(user, job.arguments["round"])
    except (Http404, PermissionDenied):
        return False
    return True


def _describe(job: Job) -> str:
    round_ = Round.objects.filter(pk=job.arguments.get("round")).first()
    return f"{round_.code if round_ else '—'} · {job.arguments.get('name', '')}"


def enqueue_import(*, round_: Round, name: str, data: bytes, by: Any, dry_run: bool) -> Job:
    """Store the uploaded file where every worker reads it and import it in the background. The
    same file into the same unchanged round returns the job already run (and its report)."""
    digest = hashlib.sha256(data).hexdigest()[:40]
    key = f"assessments.scores_import:{round_.pk}:{digest}:{int(dry_run)}:{jobs.data_revision()}"
    existing = Job.objects.filter(key=key).exclude(state=Job.State.FAILED).first()
    if existing is not None:
        return existing
    suffix = Path(name).suffix.lower()[:10]
    stored = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    arguments = {"round": round_.pk, "file": stored, "name": Path(name).name, "dry_run": dry_run}
    Job.objects.filter(key=key).update(arguments=arguments)  # a failed one reads the new copy
    return jobs.enqueue(kind="assessments.scores_import", arguments=arguments, by=by, key=key)


def register() -> None:
    kinds.register(
        kinds.JobKind(
            "assessments.scores_import",
            gettext_lazy("Scores import"),
            run_import,
            may_open=may_open,
            describe=_describe,
        )
    )
