"""The rates of a year at a date, per unit: the figures computed criteria are scored on."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.monitoring import forms, jobs, queries, rates
from parindex.rounds.models import Round


def _year_and_day(
    request: AuthedRequest, data: QueryDict | None = None
) -> tuple[forms.RatesForm, int, dt.date]:
    """The year and the day asked for (this year at 31/12 by default)."""
    today = timezone.localdate()
    form = forms.RatesForm((request.GET if data is None else data) or {"year": today.year})
    if form.is_valid():
        return form, form.cleaned_data["year"], form.as_of_day()
    return form, today.year, rates.default_as_of(today.year)


@require_GET
@login_required
def rates_page(request: AuthedRequest) -> HttpResponse:
    """Every unit's tasks, reports and findings due at a date and how many were on time."""
    queries.require(request.user, "view_plans")
    form, year, as_of = _year_and_day(request)
    rows = queries.rate_rows(year, as_of, search=request.GET.get("search", "").strip())
    context = {
        "form": form,
        "year": year,
        "as_of": as_of,
        "rounds": Round.objects.filter(year=year).order_by("code"),
        "query": request.GET.urlencode(),
        **paginate(request, rows),
    }
    return render(request, "monitoring/rates.html", context)


@require_GET
@login_required
@limits.download
def rates_csv(request: AuthedRequest) -> HttpResponse:
    """The rates as the machine CSV of DESIGN.md (what `parindex monitoring rates` prints)."""
    queries.require(request.user, "view_plans")
    _form, year, as_of = _year_and_day(request)
    data = jobs.csv_bytes(rates.rates_table(year, as_of))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ty-le-theo-doi-{year}-{as_of}.csv"'
    return response


@require_POST
@login_required
def rates_job(request: AuthedRequest) -> HttpResponse:
    """Recompute the year's rates in the background: the job's page shows the bar, then the CSV."""
    queries.require(request.user, "view_plans")
    _form, year, as_of = _year_and_day(request, request.POST)
    return redirect(
        "jobs:detail", pk=jobs.enqueue_rates(year=year, as_of=as_of, by=request.user).pk
    )


@require_POST
@login_required
def computed_job(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Recompute a round's computed criteria for every unit in the background (CSV)."""
    queries.require(request.user, "view_plans")
    round_ = get_object_or_404(Round, pk=round_pk)
    return redirect("jobs:detail", pk=jobs.enqueue_computed(round_=round_, by=request.user).pk)
