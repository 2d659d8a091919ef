"""The unit registry: list and tree, a unit's page and lineage, units, tiers and peer groups,
import and export, unit accounts and reorganisations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts import services as account_services
from parindex.accounts.http import AuthedRequest
from parindex.accounts.models import User
from parindex.core import pickers
from parindex.core.paging import paginate
from parindex.documents import tables
from parindex.units import exports, queries, services
from parindex.units.forms import (
    REORGANISATION_FORMS,
    PeerGroupForm,
    UnitAccountForm,
    UnitFilterForm,
    UnitForm,
    UnitImportForm,
    UnitRoleForm,
    UnitTypeForm,
    current_units,
    initial_for,
)
from parindex.units.models import Reorganisation, Unit

IMPORT_SALT = "parindex.units.import"


def _require_reader(request: AuthedRequest) -> None:
    if not permissions.can_view_units(request.user):
        raise PermissionDenied


def _require_manager(request: AuthedRequest) -> None:
    if not permissions.can_manage_units(request.user):
        raise PermissionDenied


@require_GET
@login_required
def unit_list(request: AuthedRequest) -> HttpResponse:
    """The registry as a table: search, filters by type, peer group and date, sortable columns."""
    form = UnitFilterForm(request.GET)
    filters = form.to_filter()
    sort = request.GET.get("sort", "type")
    units = queries.units_for_reader(request.user, filters, sort)
    page = paginate(request, units)
    page["page_obj"].object_list = queries.registry_page(
        list(page["page_obj"].object_list), filters.day
    )
    context = {
        "form": form,
        "filters": filters,
        "sort": sort,
        "kinds": Reorganisation.Kind.choices,
        **page,
    }
    return render(request, "units/unit_list.html", context)


@require_GET
@login_required
def unit_tree(request: AuthedRequest) -> HttpResponse:
    """The hierarchy as a tree with the number of units under each node, on a chosen date."""
    _require_reader(request)
    form = UnitFilterForm(request.GET)
    day = form.to_filter().day
    context = {
        "form": form,
        "day": day,
        "nodes": queries.tree_level(None, day),
        "type_counts": queries.unit_types_with_counts(day),
    }
    return render(request, "units/unit_tree.html", context)


@require_GET
@login_required
def unit_tree_children(request: AuthedRequest, pk: int) -> HttpResponse:
    """One level of the tree, under a unit (an htmx fragment)."""
    parent = queries.get_unit_for_reader(request.user, pk)
    day = UnitFilterForm(request.GET).to_filter().day
    context = {"nodes": queries.tree_level(parent, day), "day": day}
    return render(request, "units/unit_tree.html#tree-children", context)


@require_GET
@login_required
@limits.download
def unit_export(request: AuthedRequest) -> HttpResponse:
    """The filtered registry as CSV or XLSX in the import format."""
    filters = UnitFilterForm(request.GET).to_filter()
    units = queries.units_for_reader(request.user, filters, request.GET.get("sort", "type"))
    if request.GET.get("format") == "xlsx":
        rows = exports.unit_rows(units, vietnamese=True)
        content = exports.units_xlsx(rows, title=_("Units"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = "units.xlsx"
    else:
        content = tables.write_csv(exports.unit_rows(units))
        content_type = "text/csv; charset=utf-8"
        filename = "units.csv"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A unit: its details, the units under it, its accounts, reorganisations and history."""
    unit = queries.get_unit_for_reader(request.user, pk)
    today = queries.today()
    show_users = permissions.has(request.user, "view_unit_users", unit)
    is_active = unit.is_active_on(today)
    # An ended unit lists what was under it on its last day.
    children_day = today if is_active or not unit.active_to else unit.active_to - dt.timedelta(1)
    context = {
        "unit": unit,
        "today": today,
        "children_day": children_day,
        "kinds": Reorganisation.Kind.choices,
        "is_active": is_active,
        "children": queries.unit_children(unit, children_day),
        "events": queries.reorganisations_of(unit),
        "assignments": queries.unit_users(unit) if show_users else None,
        "history": queries.unit_history(unit) if permissions.can_view_audit(request.user) else None,
    }
    return render(request, "units/unit_detail.html", context)


@require_GET
@login_required
def unit_lineage(request: AuthedRequest, pk: int) -> HttpResponse:
    """A unit's predecessors and successors over the years, with the reorganisations between."""
    unit = queries.get_unit_for_reader(request.user, pk)
    return render(request, "units/unit_lineage.html", {"lineage": queries.lineage(unit)})


@require_GET
@login_required
def unit_options(request: AuthedRequest) -> HttpResponse:
    """The unit form's picker of a parent: the units that exist (or will) matching what is
    typed."""
    _require_manager(request)
    return picker_options(request, current_units())


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: AuthedRequest) -> HttpResponse:
    """Add a unit to the registry."""
    _require_manager(request)
    form = UnitForm(request.POST or None)
    if form.is_valid():
        try:
            unit = services.create_unit(by=request.user, **form.cleaned_data)
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("Unit %(code)s created.") % {"code": unit.code})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct a unit's details (a merger, rename or move is recorded as a reorganisation)."""
    unit = queries.get_unit_for_manager(request.user, pk)
    form = UnitForm(request.POST or None, unit=unit)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "code"}
        try:
            services.update_unit(by=request.user, unit=unit, **data)
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def unit_import(request: AuthedRequest) -> HttpResponse:
    """Import units from CSV or XLSX: check and preview first, then apply all or nothing."""
    _require_manager(request)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    plan = payload = None
    if request.POST.get("payload"):
        try:
            rows = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
            plan = services.import_units(by=request.user, rows=rows)
        except signing.BadSignature:
            problems = [_("The preview has expired: choose the file again.")]
        except services.UnitError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Imported: %(created)d units created, %(updated)d updated.")
                % {"created": len(plan.created), "updated": len(plan.updated)},
            )
            return redirect("units:list")
        form = UnitImportForm()
    elif form.is_valid():
        filename, raw = form.cleaned_data["file"]
        try:
            rows = services.read_rows(filename, raw)
            plan = services.import_units(by=request.user, rows=rows, dry_run=True)
        except services.UnitError as error:
            problems = error.problems
        else:
            payload = signing.dumps(rows, salt=IMPORT_SALT, compress=True)
    context = {"form": form, "problems": problems, "plan": plan, "payload": payload}
    return render(request, "units/unit_import.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_account_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Create an editor or head account for the unit; the person chooses a password by e-mail."""
    unit = queries.get_unit_for_manager(request.user, pk)
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    form = UnitAccountForm(request.POST or None)
    if form.is_valid():
        try:
            user = services.add_unit_account(
                by=request.user, unit=unit, day=queries.today(), **form.cleaned_data
            )
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            account_services.send_set_password_email(
                by=request.user, user=user, base_url=request.build_absolute_uri("/")[:-1]
            )
            messages.success(
                request,
                _("Account %(username)s created; a link to choose a password was e-mailed.")
                % {"username": user.username},
            )
            return redirect("units:detail", pk=unit.pk)
    context = {"form": form, "unit": unit, "title": _("New account for the unit")}
    return render(request, "units/unit_account_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_account_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    """Let an existing account act for the unit as its editor or head."""
    unit = queries.get_unit_for_manager(request.user, pk)
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    form = UnitRoleForm(request.POST or None)
    if form.is_valid():
        try:
            services.grant_unit_role(
                by=request.user,
                unit=unit,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                day=queries.today(),
            )
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:detail", pk=unit.pk)
    context = {"form": form, "unit": unit, "title": _("Give an existing account a role")}
    return render(request, "units/unit_account_form.html", context)


@require_POST
@login_required
def unit_account_revoke(request: AuthedRequest, pk: int, user_id: int, role: str) -> HttpResponse:
    """Stop an account acting for the unit in one role (the account itself stays)."""
    unit = queries.get_unit_for_manager(request.user, pk)
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    account = get_object_or_404(User, pk=user_id)
    try:
        services.revoke_unit_role(by=request.user, unit=unit, user=account, role=role)
    except services.UnitError as error:
        raise Http404 from error
    messages.success(request, _("Changes saved."))
    return redirect("units:detail", pk=unit.pk)


@require_http_methods(["GET", "POST"])
@login_required
def reorganise(request: AuthedRequest, kind: str) -> HttpResponse:
    """Record a merge, split, rename, move or retirement: fill in, preview, then confirm."""
    _require_manager(request)
    if kind not in REORGANISATION_FORMS:
        raise Http404
    form_class = REORGANISATION_FORMS[kind]
    start = queries.unit_or_none(request.GET.get("unit"))
    form = form_class(request.POST or None, initial=initial_for(kind, start, queries.today()))
    problems: list[str] = []
    preview = None
    if form.is_valid():
        arguments = form.arguments()  # type: ignore[attr-defined]
        confirmed = request.POST.get("confirm") == "1"
        try:
            event = services.reorganise(
                kind=kind, by=request.user, dry_run=not confirmed, **arguments
            )
        except services.UnitError as error:
            problems = error.problems
        else:
            if confirmed:
                messages.success(request, _("The reorganisation was recorded."))
                return redirect("units:lineage", pk=queries.focus_unit_id(event))
            preview = arguments
    context = {
        "form": form,
        "kind": kind,
        "kinds": Reorganisation.Kind.choices,
        "kind_label": Reorganisation.Kind(kind).label,
        "start": start,
        "problems": problems,
        "preview": preview,
    }
    return render(request, "units/reorganise.html", context)


@require_GET
@login_required
def reorganisation_list(request: AuthedRequest) -> HttpResponse:
    """Every recorded reorganisation, newest first, filtered by kind and year."""
    _require_reader(request)
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    events = queries.reorganisations(kind=kind, year=int(year) if year.isdigit() else None)
    context = {
        "kind": kind,
        "year": year,
        "kinds": Reorganisation.Kind.choices,
        "years": queries.reorganisation_years(),
        **paginate(request, events),
    }
    return render(request, "units/reorganisation_list.html", context)


@require_GET
@login_required
def unit_type_list(request: AuthedRequest) -> HttpResponse:
    """The tiers of units, with how many units each has today."""
    _require_manager(request)
    context = {"unit_types": queries.unit_types_with_counts(queries.today())}
    return render(request, "units/unit_type_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_type_create(request: AuthedRequest) -> HttpResponse:
    """Add a tier of units."""
    _require_manager(request)
    form = UnitTypeForm(request.POST or None)
    if form.is_valid():
        try:
            services.create_unit_type(by=request.user, **form.cleaned_data)
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:type_list")
    return render(request, "units/simple_form.html", _simple(form, _("New unit type"), "type"))


@require_http_methods(["GET", "POST"])
@login_required
def unit_type_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename a tier or change its order."""
    unit_type = queries.get_unit_type_for_manager(request.user, pk)
    form = UnitTypeForm(request.POST or None, unit_type=unit_type)
    if form.is_valid():
        services.update_unit_type(
            by=request.user,
            unit_type=unit_type,
            name=form.cleaned_data["name"],
            order=form.cleaned_data["order"],
        )
        messages.success(request, _("Changes saved."))
        return redirect("units:type_list")
    title = _("Unit type %(code)s") % {"code": unit_type.code}
    return render(request, "units/simple_form.html", _simple(form, title, "type"))


@require_GET
@login_required
def peer_group_list(request: AuthedRequest) -> HttpResponse:
    """The peer groups that rounds may rank separately, with how many units each has today."""
    _require_reader(request)
    context = {"groups": queries.peer_groups_with_counts(queries.today())}
    return render(request, "units/peer_group_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def peer_group_create(request: AuthedRequest) -> HttpResponse:
    """Add a peer group."""
    _require_manager(request)
    form = PeerGroupForm(request.POST or None)
    if form.is_valid():
        try:
            services.create_peer_group(by=request.user, **form.cleaned_data)
        except services.UnitError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:peer_group_list")
    return render(request, "units/simple_form.html", _simple(form, _("New peer group"), "peer"))


@require_http_methods(["GET", "POST"])
@login_required
def peer_group_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename a peer group."""
    group = queries.get_peer_group_for_manager(request.user, pk)
    form = PeerGroupForm(request.POST or None, group=group)
    if form.is_valid():
        services.update_peer_group(by=request.user, group=group, name=form.cleaned_data["name"])
        messages.success(request, _("Changes saved."))
        return redirect("units:peer_group_list")
    title = _("Peer group %(code)s") % {"code": group.code}
    return render(request, "units/simple_form.html", _simple(form, title, "peer"))


def _simple(form: object, title: str, section: str) -> dict[str, object]:
    back = reverse("units:type_list" if section == "type" else "units:peer_group_list")
    return {"form": form, "title": title, "back": back}


def picker_options(request: HttpRequest, units: QuerySet[Unit]) -> HttpResponse:
    """The options a unit picker shows: those of `units` matching what is typed, in the unit
    types' order. The calling view checks who may see them."""
    return pickers.options_response(request, units, order=queries.PICKER_ORDER)
