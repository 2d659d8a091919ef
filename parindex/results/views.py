"""Results pages: rankings, a unit's results, analysis, headroom and what-if, survey points,
publication, documents and the public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.results import documents, jobs, pages, queries, services

FILTERS = ("type", "group", "band", "q", "sort", "submitted")
RANKING_PAGE = 50
SURVEY_PAGE = 50  # units per page of the survey grid (a national type has 3,300 communes)


def _params(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in FILTERS}


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The rounds with results: published ones, and provisional previews for the office."""
    if not permissions.has(request.user, "view_results"):
        raise PermissionDenied
    return render(request, "results/index.html", pages.rounds_context(request.user))


@require_GET
@login_required
def ranking(request: AuthedRequest, pk: int) -> HttpResponse:
    """A round's ranking for one unit type: table, filters, sorting, chart, change since before."""
    round_ = queries.get_round_for_reader(request.user, pk)
    context = pages.ranking_context(round_, _params(request))
    context.update(paginate(request, context["rows"], per_page=RANKING_PAGE))
    context.update(pages.chart_context(list(context["page_obj"].object_list)))
    if request.htmx:
        return render(request, "results/ranking.html#ranking-table", context)
    return render(request, "results/ranking.html", context)


@require_GET
@login_required
def unit(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    """A unit's results: area chart, each criterion with deductions and reasons, its history."""
    round_ = queries.get_round_for_reader(request.user, pk)
    queries.get_unit_for_reader(request.user, round_, code)
    return render(request, "results/unit.html", pages.unit_context(round_, code))


@require_GET
@login_required
def headroom(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    """Points still available to a unit, and live what-if for the criteria or areas picked."""
    round_ = queries.get_round_for_reader(request.user, pk)
    queries.get_unit_for_reader(request.user, round_, code)
    context = pages.headroom_context(round_, code, request.GET.getlist("c"))
    if request.htmx:
        return render(request, "results/headroom.html#what-if", context)
    return render(request, "results/headroom.html", context)


@require_GET
@login_required
def analysis(request: AuthedRequest, pk: int) -> HttpResponse:
    """Criteria by points lost over all units of a type, and the units × areas heat map."""
    round_ = queries.get_round_for_office(request.user, pk)
    context = pages.analysis_context(round_, request.GET.get("type", ""))
    context.update(paginate(request, context["heat"], per_page=RANKING_PAGE))
    context["heat_rows"] = pages.heat_cells(context["page_obj"].object_list)
    return render(request, "results/analysis.html", context)


@require_GET
@login_required
def criterion(request: AuthedRequest, pk: int, type_code: str, code: str) -> HttpResponse:
    """One criterion: the units that lost points on it and the appraisers' reasons."""
    round_ = queries.get_round_for_office(request.user, pk)
    context = pages.criterion_context(round_, type_code, code)
    context.update(paginate(request, context["losing"], per_page=RANKING_PAGE))
    return render(request, "results/criterion.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def survey(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enter survey points per unit and survey criterion (all or nothing, problems listed)."""
    round_ = queries.get_round_for_office(request.user, pk)
    type_code = request.GET.get("type", "")
    problems: list[str] = []
    if request.method == "POST":
        values = {
            int(key[2:]): (text, _version(request.POST.get(f"v_{key[2:]}", "")))
            for key, text in request.POST.dict().items()
            if key.startswith("s_") and key[2:].isdigit()
        }
        try:
            saved, problems = services.save_survey_points(
                by=request.user, round_=round_, values=values
            )
        except services.ResultsRefused as refused:
            problems = [str(refused)]
        if not problems:
            messages.success(request, _("%(n)s survey value(s) saved.") % {"n": saved})
            return redirect(f"{request.path}?{request.GET.urlencode()}")  # the same page
    typed = request.POST.dict() if problems else None
    types, type_code, units = pages.survey_units(round_, type_code)
    paged = paginate(request, units, per_page=SURVEY_PAGE)
    context = {
        **pages.survey_context(round_, list(paged["page_obj"].object_list), typed),
        **paged,
        "types": types,
        "type_code": type_code,
        "problems": problems,
    }
    return render(request, "results/survey.html", context)


def _version(text: str) -> int:
    """The version a grid row was read at (-1, never current, when the field was tampered)."""
    return int(text) if text.isdigit() and len(text) < 10 else -1


@require_POST
@login_required
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Freeze the round's results in a snapshot with a SHA-256 (after a confirmation), in the
    background: the job's page shows the progress, then the SHA-256 and the ranking."""
    round_ = queries.get_round_for_office(request.user, pk)
    job = jobs.enqueue_publish(round_=round_, by=request.user)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@login_required
def verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """Recompute a published round from its stored inputs and show any difference."""
    round_ = queries.get_round_for_office(request.user, pk)
    try:
        report = services.verify_round(round_=round_)
    except services.ResultsRefused as refused:
        messages.error(request, str(refused))
        return redirect("results:ranking", pk=round_.pk)
    return render(request, "results/verify.html", {"round": round_, "report": report})


@require_POST
@login_required
def public_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open or close the round's public results page (no login)."""
    round_ = queries.get_round_for_office(request.user, pk)
    try:
        services.set_public_page(
            by=request.user, round_=round_, is_public=request.POST.get("public") == "1"
        )
    except services.ResultsRefused as refused:
        messages.error(request, str(refused))
    return redirect("results:ranking", pk=round_.pk)


@require_GET
@login_required
@limits.download
def download(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """A results document: CSV, JSON, XLSX, the DOCX report, the draft decision or the PDF,
    holding no more than the reader's pages show. A heavy one of a large round is never written
    in the request: it is a background job (the same one for the same document of the same
    data), whose page offers the file under this same rule."""
    round_ = queries.get_round_for_document(request.user, pk, kind)
    type_code = request.GET.get("type", "")
    if jobs.needs_job(round_, kind):
        job = jobs.enqueue_document(round_=round_, kind=kind, type_code=type_code, by=request.user)
        return redirect("jobs:detail", pk=job.pk)
    scope = queries.document_scope(request.user, round_)
    try:
        return documents.response(round_, kind, type_code, scope)
    except documents.ChooseUnitType as problem:
        messages.error(request, str(problem))
        return redirect("results:ranking", pk=round_.pk)


@require_POST
@login_required
def document_job(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """Make a heavy document (XLSX, DOCX, PDF, draft decision) in the background; the job's
    page then offers it, under the same rule as `download`."""
    round_ = queries.get_round_for_document(request.user, pk, kind)
    if kind not in jobs.BACKGROUND_KINDS:
        return redirect("results:download", pk=round_.pk, kind=kind)
    job = jobs.enqueue_document(
        round_=round_, kind=kind, type_code=request.POST.get("type", ""), by=request.user
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public results of a published round: units, indices, ranks and bands (no login)."""
    round_ = queries.get_public_round(pk)
    results = queries.round_results(round_)
    tables = [
        (type_results, pages.analysis.ranking(type_results))
        for type_results in results.types.values()
    ]
    return render(request, "results/public.html", {"round": round_, "tables": tables})
