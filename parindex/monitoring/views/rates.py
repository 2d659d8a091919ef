"""The rates of a year at a date, per unit: the figures computed criteria are scored on."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.documents.tables import write_csv
from parindex.monitoring import forms, queries, rates


def _year_and_day(request: AuthedRequest) -> tuple[forms.RatesForm, int, dt.date]:
    """The year and the day asked for (this year at 31/12 by default)."""
    today = timezone.localdate()
    form = forms.RatesForm(request.GET or {"year": today.year})
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
    data = write_csv(rates.rates_table(year, as_of), bom=False, lineterminator="\n")
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ty-le-theo-doi-{year}-{as_of}.csv"'
    return response
