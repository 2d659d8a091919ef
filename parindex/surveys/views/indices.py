"""SIPAS-style satisfaction (aspects → factors → items, per unit, trend) and PAPI (the province
beside the national average and its peers, year on year): pages and imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.surveys import analysis, queries
from parindex.surveys.forms import UploadForm
from parindex.surveys.services import indices
from parindex.surveys.services.indices import IndexImportRefused


def _year(value: str, years: list[int]) -> int | None:
    return int(value) if value.isdigit() and int(value) in years else (years[0] if years else None)


@require_GET
@login_required
def sipas(request: AuthedRequest) -> HttpResponse:
    """A year's satisfaction: the index and its aspects per unit, one unit's (or the pooled)
    aspects, factors and items, and the trend across years."""
    queries.require(request.user, "view_surveys")
    years = analysis.sipas_years()
    year = _year(request.GET.get("year", ""), years)
    unit = request.GET.get("unit", "").strip()
    context: dict[str, object] = {"years": years, "year": year, "unit": unit}
    if year is not None:
        aspects, units = analysis.sipas_units(year)
        if unit not in {row.code for row in units}:
            unit = ""
        index, tree = analysis.sipas_tree(year, unit)
        context.update(
            unit=unit,
            aspect_names=aspects,
            units=units,
            index=analysis.round_fraction(index) if index is not None else None,
            tree=tree,
            trend=analysis.sipas_trend(unit),
        )
    return render(request, "surveys/sipas.html", context)


@require_GET
@login_required
def papi(request: AuthedRequest) -> HttpResponse:
    """PAPI: the province's eight dimensions beside the national average and its peers."""
    queries.require(request.user, "view_surveys")
    years = analysis.papi_years()
    year = _year(request.GET.get("year", ""), years)
    context: dict[str, object] = {"years": years, "year": year}
    if year is not None:
        provinces = analysis.papi_provinces(year)
        province = request.GET.get("province", "").strip() or analysis.our_province()
        if province not in provinces:
            province = provinces[0] if provinces else ""
        peers = [p for p in request.GET.getlist("peer") if p in provinces and p != province][:6]
        peers = peers or analysis.default_peers(year, province)
        context.update(
            provinces=provinces,
            province=province,
            peers=peers,
            rows=analysis.papi_view(year, province, peers),
            trend=analysis.papi_trend(province),
        )
    return render(request, "surveys/papi.html", context)


def _import(request: AuthedRequest, kind: str) -> HttpResponse:
    queries.require(request.user, "manage_surveys")
    header = indices.SIPAS_HEADER if kind == "sipas" else [*indices.PAPI_HEADER, "[total]"]
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        help_text=_("CSV or XLSX: %(header)s.") % {"header": ",".join(header)},
    )
    problems: list[str] = []
    result = None
    if form.is_valid():
        data, name = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = indices.import_file(kind, data, name, by=request.user, dry_run=dry_run)
        except IndexImportRefused as refused:
            problems = refused.problems
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    _("%(n)d row(s) imported for %(years)s.")
                    % {"n": result.rows, "years": ", ".join(map(str, result.years))},
                )
                return redirect(f"surveys:{kind}")
    context = {"form": form, "problems": problems, "result": result, "kind": kind, "header": header}
    return render(request, "surveys/index_import.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def sipas_import(request: AuthedRequest) -> HttpResponse:
    """Import satisfaction counts (a year in the file replaces that year)."""
    return _import(request, "sipas")


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def papi_import(request: AuthedRequest) -> HttpResponse:
    """Import PAPI scores (a year in the file replaces that year)."""
    return _import(request, "papi")
