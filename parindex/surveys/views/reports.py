"""A campaign's results (per unit and leaf, the machine CSV), a unit's answers per group, the
apply step for the office, and the analysis of lost points and of the year before."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.surveys import analysis, exports, jobs, pages, queries, scoring
from parindex.surveys.services import apply
from parindex.surveys.services.campaigns import CampaignRefused
from parindex.surveys.views.office import download
from parindex.units.forms import PickedUnitForm


@require_GET
@login_required
def campaign_results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every unit's survey leaves (percent, responses, points); the leaves without data."""
    run = queries.get_campaign_for_reader(request.user, pk)
    scores = scoring.campaign_scores(run)
    if request.GET.get("format") == "csv":
        name = f"ket-qua-dieu-tra-{run.code}-{run.round.code}.csv"
        return download(exports.results_csv(scores), name, "text/csv; charset=utf-8")
    filters = pages.params(request, "q", "state", "sort")
    context = {
        "campaign": run,
        "scores": scores,
        "leaves": list(scores.design.leaves.values()),
        "filters": filters,
        "sort": filters["sort"] or "unit",
        "province": analysis.distribution(scores),
        "without_data": scores.without_data,
        "can_apply": permissions.has(request.user, "manage_surveys"),
        **paginate(request, pages.result_rows(scores, filters)),
    }
    return render(request, "surveys/campaign_results.html", context)


@require_GET
@login_required
def campaign_unit(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    """One unit: each survey leaf's answers per question and group, responses and points."""
    run = queries.get_campaign_for_reader(request.user, pk)
    scores = scoring.campaign_scores(run)
    if code not in scores.units:
        raise Http404
    context = {
        "campaign": run,
        "unit_code": code,
        "unit_name": scores.units[code],
        "leaves": analysis.distribution(scores, code),
        "lost": analysis.lost_points(scores, code),
    }
    return render(request, "surveys/campaign_unit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def campaign_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Preview, then write the campaign's survey points into its round (audited)."""
    run = queries.get_campaign_for_manager(request.user, pk)
    try:
        if request.method == "POST":  # in the background: the job's page reports the outcome
            job = jobs.enqueue_apply(campaign=run, by=request.user)
            return redirect("jobs:detail", pk=job.pk)
        preview = apply.apply_campaign(campaign=run, by=request.user, dry_run=True)
    except CampaignRefused as refused:
        messages.error(request, str(refused))
        return redirect("surveys:campaign_results", pk=run.pk)
    return render(request, "surveys/campaign_apply.html", {"campaign": run, "preview": preview})


@require_GET
@login_required
def campaign_analysis(request: AuthedRequest, pk: int) -> HttpResponse:
    """Which questions and groups lost the most points (a unit or the province); year on year."""
    run = queries.get_campaign_for_reader(request.user, pk)
    scores = scoring.campaign_scores(run)
    # typed with suggestions: a national campaign's 3,500 units would be most of the page
    picker = PickedUnitForm(
        request.GET or None,
        units=queries.campaign_units(run),
        options_url=reverse("surveys:campaign_unit_options", args=[run.pk]),
    )
    picked = picker.picked
    unit = picked.code if picked is not None else ""
    if unit not in scores.units:  # a unit of the campaign without results: the province
        unit = ""
    context = {
        "campaign": run,
        "picker": picker,
        "unit": unit,
        **pages.analysis_context(scores, unit),
    }
    return render(request, "surveys/campaign_analysis.html", context)
