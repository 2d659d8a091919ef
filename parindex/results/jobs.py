"""Results' background jobs: publication and the heavy documents (XLSX, DOCX report, PDF, draft
decision), run by a worker with the same services `parindex publish` and `parindex results`
run in the foreground. Registered with `parindex.jobs.kinds` in `ResultsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.jobs import kinds, services
from parindex.jobs.models import Job
from parindex.results import documents, queries
from parindex.results.services import publish_round
from parindex.rounds.models import Round

# Documents slow enough at national scale to be made by a worker (CSV and JSON stay direct).
BACKGROUND_KINDS = ("xlsx", "docx", "decision", "pdf")


def direct_max_units() -> int:
    """The largest round (in units) whose heavy documents are still written inside the request
    (RESULTS_DIRECT_MAX_UNITS): about a second at most, measured in docs/documents.md."""
    return int(settings.RESULTS_DIRECT_MAX_UNITS)


def needs_job(round_: Round, kind: str) -> bool:
    """Whether this document of this round is made by a worker rather than in the request: a
    heavy one (workbook, report, PDF, draft decision) of a round above `direct_max_units`."""
    return kind in BACKGROUND_KINDS and round_.assessments.count() > direct_max_units()


def _round(job: Job) -> Round:
    return Round.objects.get(pk=job.arguments["round"])


def _describe(job: Job) -> str:
    round_ = Round.objects.filter(pk=job.arguments.get("round")).first()
    text = round_.code if round_ else "—"
    if kind := job.arguments.get("kind"):
        text += f" · {kind.upper()}"
    if type_code := job.arguments.get("type"):
        text += f" · {type_code}"
    return text


# --- publication ---------------------------------------------------------------------------------


def run_publish(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    round_ = _round(job)
    progress.step(0, 1, _("Computing and freezing the results…"))
    snapshot = publish_round(by=job.by, round_=round_)  # a refusal fails the job
    return kinds.Outcome(
        message=_("Results published. SHA-256: %(sha)s") % {"sha": snapshot.sha256},
        url=reverse("results:ranking", args=[round_.pk]),
    )


def may_open_ranking(user: Any, job: Job) -> bool:
    try:
        queries.get_round_for_office(user, job.arguments["round"])
    except (Http404, PermissionDenied):
        return False
    return True


def enqueue_publish(*, round_: Round, by: Any) -> Job:
    """Publish the round in the background (one job per round: asking again returns it)."""
    return services.enqueue(
        kind="results.publish",
        arguments={"round": round_.pk},
        by=by,
        key=f"results.publish:{round_.pk}",
    )


# --- documents -----------------------------------------------------------------------------------


def run_document(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    round_ = _round(job)
    kind, type_code = job.arguments["kind"], job.arguments.get("type", "")
    progress.step(0, 1, _("Writing the document…"))
    if job.by is None:
        raise kinds.Refused(
            [_("A results document is made for the person who asked for it.")],
            code="results.document_without_reader",
        )
    scope = queries.document_scope(job.by, round_)  # as far as its reader's pages reach
    try:
        data, name = documents.render(round_, kind, type_code, scope)
    except documents.ChooseUnitType as problem:
        raise kinds.Refused([str(problem)], code="results.choose_unit_type") from None
    return kinds.Outcome(message=_("The document is ready."), file=data, file_name=name)


def may_open_document(user: Any, job: Job) -> bool:
    """The document follows the rule of the page it comes from, asked again at download."""
    try:
        queries.get_round_for_document(user, job.arguments["round"], job.arguments["kind"])
    except (Http404, PermissionDenied):
        return False
    return True


def _revision(round_: Round) -> str:
    """What the document is made from: a published round's snapshot, else the latest change of
    anything (every score write is audited), so a changed round gets a new document."""
    snapshot = getattr(round_, "snapshot", None)
    if snapshot is not None:
        return snapshot.sha256
    return services.data_revision()


def enqueue_document(*, round_: Round, kind: str, type_code: str, by: Any) -> Job:
    """Make one of the round's documents in the background, for `by`'s pages. The same document
    of the same data asked again returns the job already made (and its file)."""
    return services.enqueue(
        kind="results.document",
        arguments={"round": round_.pk, "kind": kind, "type": type_code},
        by=by,
        key=f"results.document:{round_.pk}:{kind}:{type_code}:{by.pk}:{_revision(round_)}",
    )


def register() -> None:
    kinds.register(
        kinds.JobKind(
            "results.publish",
            gettext_lazy("Publication of results"),
            run_publish,
            may_open=may_open_ranking,
            describe=_describe,
        )
    )
    kinds.register(
        kinds.JobKind(
            "results.document",
            gettext_lazy("Results document"),
            run_document,
            may_open=may_open_document,
            describe=_describe,
        )
    )
