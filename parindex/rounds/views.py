"""Rounds: list, create, schedule, participating units, appraisers, extensions, dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.accounts.models import User
from parindex.core.paging import paginate
from parindex.rounds import exports, queries, services
from parindex.rounds.forms import AddUnitsForm, EditForm, ExtensionForm, RemoveUnitForm, RoundForm
from parindex.rounds.participants import participants
from parindex.units import views as units_views
from parindex.units.models import Unit

DASHBOARD_PAGE = 50  # units per page of the round's dashboard and of its units


def _add_problems(form: object, refused: services.RoundRefused) -> None:
    for problem in refused.problems:
        form.add_error(None, problem)  # type: ignore[attr-defined]


@require_GET
@login_required
def round_list(request: AuthedRequest) -> HttpResponse:
    """Every round with its year, status and number of units."""
    rounds = queries.rounds_for_user(request.user)
    return render(request, "rounds/list.html", {"rounds": rounds})


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: AuthedRequest) -> HttpResponse:
    """Create a round: code, year, name, index set per unit type, phase dates."""
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.create_round(
                by=request.user,
                code=data["code"],
                year=data["year"],
                name=data["name"],
                index_sets=form.index_sets(),
                dates=form.dates(),
                rank_within_peer_groups=data["rank_within_peer_groups"],
                as_of=data["as_of"],
            )
        except services.RoundRefused as refused:
            _add_problems(form, refused)
        else:
            messages.success(
                request,
                _("Round created with %(n)d units; check them, assign appraisers, then open it.")
                % {"n": round_.assessments.count()},
            )
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/form.html", {"form": form})


@require_GET
@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office's dashboard: per unit status, progress, evidence coverage, days left."""
    round_ = queries.get_round_for_office(request.user, pk)
    params = {key: request.GET.get(key, "") for key in ("status", "unit_type", "search")}
    sort = request.GET.get("sort", "unit")
    rows = queries.dashboard(round_, sort=sort, **params)
    context = {
        "round": round_,
        "rows": rows,
        "params": params,
        "sort": sort,
        "status_summary": queries.status_summary(round_),
        "index_sets": queries.round_index_sets(round_),
        "statuses": participants().statuses,
        "query": request.GET.urlencode(),
        # a page of units at a time: a national round's 3,500 rows took 1.6 s (the export
        # keeps them all)
        **paginate(request, rows, per_page=DASHBOARD_PAGE),
    }
    return render(request, "rounds/detail.html", context)


@require_GET
@login_required
@limits.download
def round_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The dashboard (with its filters and sorting) as an XLSX workbook."""
    round_ = queries.get_round_for_office(request.user, pk)
    params = {key: request.GET.get(key, "") for key in ("status", "unit_type", "search")}
    rows = queries.dashboard(round_, sort=request.GET.get("sort", "unit"), **params)
    content = exports.to_xlsx(exports.dashboard_rows(rows), round_.code)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tien-do-{round_.code}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename or reschedule a round (the reason goes to the audit log)."""
    round_ = queries.get_round_for_office(request.user, pk)
    form = EditForm(request.POST or None, instance=round_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_round(
                by=request.user,
                round_=round_,
                name=data["name"],
                dates=form.dates(),
                rank_within_peer_groups=data["rank_within_peer_groups"],
                reason=data["reason"],
                as_of=data["as_of"],
            )
        except services.RoundRefused as refused:
            _add_problems(form, refused)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/form.html", {"form": form, "round": round_})


@require_POST
@login_required
def round_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open a prepared round to its units (they are notified)."""
    round_ = queries.get_round_for_office(request.user, pk)
    try:
        services.open_round(by=request.user, round_=round_)
    except services.RoundRefused as refused:
        messages.error(request, " ".join(refused.problems))
    else:
        messages.success(request, _("The round is open; the units were notified."))
    return redirect("rounds:detail", pk=pk)


@require_POST
@login_required
def round_finalise(request: AuthedRequest, pk: int) -> HttpResponse:
    """The council finalises the round once every unit is approved."""
    round_ = queries.get_round_for_council(request.user, pk)
    try:
        services.finalise_round(by=request.user, round_=round_)
    except services.RoundRefused as refused:
        messages.error(request, " ".join(refused.problems))
    else:
        messages.success(request, _("The round is finalised; the results can be published."))
    return redirect("assessments:council", round_pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def round_units(request: AuthedRequest, pk: int) -> HttpResponse:
    """The participating units: add more, or take out one that has not started."""
    round_ = queries.get_round_for_office(request.user, pk)
    form = AddUnitsForm(request.POST or None, round_=round_)
    if form.is_valid():
        try:
            added = services.add_units(
                by=request.user, round_=round_, units=form.cleaned_data["units"]
            )
        except services.RoundRefused as refused:
            _add_problems(form, refused)
        else:
            messages.success(request, _("%(n)d unit(s) added.") % {"n": added})
            return redirect("rounds:units", pk=pk)
    assessments = round_.assessments.select_related("unit__unit_type").order_by(
        "unit__unit_type__order", "unit__code"
    )
    context = {
        "round": round_,
        "form": form,
        # a page of units at a time: a national round's 3,500 rows took 0.5 s and 740 KB
        **paginate(request, assessments, per_page=DASHBOARD_PAGE),
        "remove_form": RemoveUnitForm(),
    }
    return render(request, "rounds/units.html", context)


@require_POST
@login_required
def round_unit_remove(request: AuthedRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Take a unit out of a round (only while its assessment is an untouched draft)."""
    round_ = queries.get_round_for_office(request.user, pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    form = RemoveUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for taking the unit out."))
        return redirect("rounds:units", pk=pk)
    try:
        services.remove_unit(
            by=request.user, round_=round_, unit=unit, reason=form.cleaned_data["reason"]
        )
    except services.RoundRefused as refused:
        messages.error(request, " ".join(refused.problems))
    else:
        messages.success(request, _("%(unit)s no longer takes part.") % {"unit": unit})
    return redirect("rounds:units", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def round_assignments(request: AuthedRequest, pk: int) -> HttpResponse:
    """The appraiser matrix: units × areas of one unit type, one appraiser per cell."""
    round_ = queries.get_round_for_office(request.user, pk)
    unit_type = request.GET.get("type", "")
    grid = queries.matrix(round_, unit_type)
    if request.method == "POST":
        appraisers = {user.pk: user for user in grid.appraisers}
        cells: dict[tuple[int, int], User | None] = {}
        for row in grid.rows:
            for area_id, _current in row.cells:
                value = request.POST.get(f"cell-{row.unit.pk}-{area_id}", "")
                cells[(row.unit.pk, area_id)] = (
                    appraisers.get(int(value)) if value.isdigit() else None
                )
        try:
            changed = services.assign_appraisers(by=request.user, round_=round_, cells=cells)
        except services.RoundRefused as refused:
            messages.error(request, " ".join(refused.problems))
        else:
            messages.success(request, _("%(n)d assignment(s) changed.") % {"n": changed})
        code = grid.current.unit_type.code if grid.current else ""
        return redirect(f"{request.path}?type={code}")
    return render(request, "rounds/assignments.html", {"round": round_, "grid": grid})


@require_http_methods(["GET", "POST"])
@login_required
def round_extensions(request: AuthedRequest, pk: int) -> HttpResponse:
    """Deadline extensions per unit: grant one (with the reason) and see those granted."""
    round_ = queries.get_round_for_office(request.user, pk)
    form = ExtensionForm(request.POST or None, round_=round_)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_extension(
                by=request.user,
                round_=round_,
                unit=data["unit"],
                phase=data["phase"],
                until_on=data["until_on"],
                reason=data["reason"],
            )
        except services.RoundRefused as refused:
            _add_problems(form, refused)
        else:
            messages.success(request, _("Extension granted; the unit was notified."))
            return redirect("rounds:extensions", pk=pk)
    context = {"round": round_, "form": form, "extensions": queries.extensions(round_)}
    return render(request, "rounds/extensions.html", context)


@require_GET
@login_required
def round_unit_options(request: AuthedRequest, pk: int) -> HttpResponse:
    """The extensions form's unit picker's options: the round's units matching what is typed."""
    round_ = queries.get_round_for_office(request.user, pk)
    return units_views.picker_options(request, queries.round_units(round_))
