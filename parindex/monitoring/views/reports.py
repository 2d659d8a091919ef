"""The reporting regime: report types, units' submissions, returns for quality, on-time rates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.monitoring import forms, queries, services
from parindex.monitoring.models import ReportType
from parindex.monitoring.views import act, back, submit


@require_GET
@login_required
def report_types(request: AuthedRequest) -> HttpResponse:
    """The report types of the regime, with each one's on-time rate in the year so far."""
    queries.require(request.user, "view_plans")
    today = timezone.localdate()
    context = {
        "rows": queries.report_type_rows(today.year, today),
        "year": today.year,
        "can_manage": permissions.has(request.user, "manage_monitoring"),
    }
    return render(request, "monitoring/report_types.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def report_type_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a report type (code, title, legal basis, frequency, due day, types)."""
    queries.require(request.user, "manage_monitoring")
    report_type = get_object_or_404(ReportType, pk=pk) if pk else None
    initial = {}
    if report_type is not None:
        initial = {
            name: getattr(report_type, name)
            for name in ("code", "title", "legal_basis", "frequency", "due_day", "is_active")
        }
        initial["unit_types"] = list(report_type.unit_types.values_list("code", flat=True))
    form = forms.ReportTypeForm(request.POST or None, initial=initial)
    if report_type is not None:
        form.fields["code"].disabled = True
    if submit(
        request,
        form,
        lambda data: services.save_report_type(
            by=request.user,
            code=data["code"],
            title=data["title"],
            legal_basis=data["legal_basis"],
            frequency=data["frequency"],
            due_day=data["due_day"],
            unit_types=[unit_type.code for unit_type in data["unit_types"]],
            is_active=data["is_active"],
            report_type=report_type,
        ),
        done=_("Report type saved."),
    ):
        return redirect("monitoring:report_types")
    return render(
        request, "monitoring/report_type_form.html", {"form": form, "report_type": report_type}
    )


@require_GET
@login_required
def submissions(request: AuthedRequest) -> HttpResponse:
    """Every report due in a period: who sent it on time, late, not at all; return one."""
    queries.require(request.user, "view_plans")
    today = timezone.localdate()
    params = {
        key: request.GET.get(key, "").strip() for key in ("report", "period", "state", "search")
    }
    report_type, periods, rows = queries.period_sheet(today, **params)
    context = {
        "report_type": report_type,
        "report_types": ReportType.objects.filter(is_active=True).order_by("code"),
        "periods": periods,
        "params": params,
        "states": queries.CALENDAR_STATES.items(),
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "return_form": forms.ReasonForm(),
        **paginate(request, rows),
    }
    return render(request, "monitoring/submissions.html", context)


@require_POST
@login_required
def submission_return(request: AuthedRequest, pk: int) -> HttpResponse:
    """Return a report for quality, with the reason (the unit is told to send it again)."""
    submission = queries.get_submission_for_office(request.user, pk)
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.return_submission(
            by=request.user,
            submission=submission,
            version=submission.version if data["version"] is None else data["version"],
            reason=data["reason"],
        ),
        done=_("The report was returned; the unit was told why."),
        invalid=_("Give the reason."),
    )
    return back(request, "monitoring:submissions")
