"""Inspections: the list, recording an inspection and its minutes, findings, verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import services as assessment_services
from parindex.core.paging import paginate
from parindex.monitoring import forms, queries, services
from parindex.monitoring.views import act, submit
from parindex.units import views as units_views
from parindex.units.models import Unit


@require_GET
@login_required
def inspection_list(request: AuthedRequest) -> HttpResponse:
    """Every inspection with its findings' remediation; filters in the URL."""
    queries.require(request.user, "view_plans")
    params = {key: request.GET.get(key, "").strip() for key in ("search", "year", "state")}
    rows = queries.inspection_rows(**params)
    context = {
        "params": params,
        "today": timezone.localdate(),
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        **paginate(request, rows),
    }
    return render(request, "monitoring/inspections.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def inspection_create(request: AuthedRequest) -> HttpResponse:
    """Record an inspection of a unit (periodic or unscheduled)."""
    queries.require(request.user, "manage_monitoring")
    form = forms.InspectionForm(request.POST or None)
    inspection = submit(
        request,
        form,
        lambda data: services.save_inspection(by=request.user, **data),
        done=_("Inspection recorded; add its findings."),
    )
    if inspection is not None:
        return redirect("monitoring:inspection", pk=inspection.pk)
    return render(request, "monitoring/inspection_form.html", {"form": form})


@require_GET
@login_required
def unit_options(request: AuthedRequest) -> HttpResponse:
    """The inspection form's unit picker's options: the registry's units matching what is
    typed."""
    queries.require(request.user, "manage_monitoring")
    return units_views.picker_options(request, Unit.objects.all())


@require_GET
@login_required
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An inspection, its minutes and findings with their remediation."""
    inspection = queries.get_inspection_for_reader(request.user, pk)
    context = {
        "inspection": inspection,
        "findings": inspection.findings.select_related("evidence").order_by("code"),
        "today": timezone.localdate(),
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "finding_form": forms.FindingForm(),
        "minutes_form": forms.MinutesForm(),
    }
    return render(request, "monitoring/inspection.html", context)


@require_POST
@login_required
def finding_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a finding to an inspection (the unit is told what to remedy by when)."""
    queries.require(request.user, "manage_monitoring")
    inspection = queries.get_inspection_for_reader(request.user, pk)
    act(
        request,
        forms.FindingForm(request.POST),
        lambda data: services.save_finding(by=request.user, inspection=inspection, **data),
        done=_("Finding added; the unit was notified."),
        invalid=_("Give the finding's code, text and remedy deadline."),
    )
    return redirect("monitoring:inspection", pk=pk)


@require_POST
@login_required
@limits.upload
def minutes_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload the inspection's minutes into the inspected unit's library and attach them."""
    queries.require(request.user, "manage_monitoring")
    inspection = queries.get_inspection_for_reader(request.user, pk)
    form = forms.MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of the minutes."))
        return redirect("monitoring:inspection", pk=pk)
    try:
        evidence, _created = assessment_services.upload_evidence(
            unit=inspection.unit,
            by=request.user,
            file=form.cleaned_data["minutes"],
            title=form.cleaned_data["title"]
            or _("Minutes of inspection %(code)s") % {"code": inspection.code},
            issued_on=inspection.inspected_on,
        )
        services.save_inspection(
            by=request.user,
            inspection=inspection,
            code=inspection.code,
            unit=inspection.unit,
            inspected_on=inspection.inspected_on,
            kind=inspection.kind,
            team=inspection.team,
            plan=inspection.plan,
            minutes=evidence,
            note=inspection.note,
        )
    except (assessment_services.UploadRefused, services.Refused) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Minutes attached."))
    return redirect("monitoring:inspection", pk=pk)


@require_POST
@login_required
def finding_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office verifies a reported remedy or returns it with the reason."""
    finding = queries.get_finding_for_office(request.user, pk)
    act(
        request,
        forms.VerifyForm(request.POST),
        lambda data: services.verify_finding(
            by=request.user,
            finding=finding,
            version=data["version"],
            accept=data["decision"] == "accept",
            reason=data["reason"],
        ),
        done=_("Decision recorded."),
        invalid=_("Choose accept or return."),
    )
    return redirect("monitoring:finding", pk=pk)
