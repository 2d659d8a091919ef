"""A unit's pages: its tasks, report calendar and findings; reporting progress and remedies.

A unit's officers see only their own unit's rows: any other unit's is a 404, so nothing leaks.
The office, the council and the leaders read every unit's pages (and the office acts on them
from its own pages).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.monitoring import forms, queries, services
from parindex.monitoring.models import Progress
from parindex.monitoring.views import submit
from parindex.units import views as units_views
from parindex.units.forms import PickedUnitForm


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The monitoring menu: readers go to the plans, unit officers to their unit's work."""
    queries.require(request.user, "view_monitoring")
    if permissions.has(request.user, "view_plans"):
        return redirect("monitoring:plans")
    return redirect("monitoring:mine")


@require_GET
@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """The user's units' tasks, reports due and open findings, with their deadlines."""
    queries.require(request.user, "unit_work")
    today = timezone.localdate()
    unit_ids = permissions.unit_ids(request.user)
    units = list(queries.readable_units(request.user).filter(pk__in=unit_ids))
    calendars = [
        (
            unit,
            [
                row
                for row in queries.unit_calendar(unit, today.year, today)
                if row.state in ("missing", "returned", "due")
            ],
        )
        for unit in units
    ]
    context = {
        "today": today,
        "tasks": list(queries.progress_of_units(unit_ids)),
        "calendars": calendars,
        "findings": list(queries.findings_of_units(unit_ids)),
    }
    return render(request, "monitoring/mine.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """One unit's progress on a task: the unit reports it; everyone allowed reads its history.
    With htmx the report is saved in place (the panel comes back); without, the page reloads."""
    row = queries.get_progress_for_reader(request.user, pk)
    form = None
    if request.method == "POST":
        row = queries.get_progress_for_unit(request.user, pk)
        form = forms.ProgressForm(request.POST, unit_id=row.unit_id)
        if submit(
            request,
            form,
            lambda data: services.report_progress(
                by=request.user,
                progress=row,
                version=data["version"],
                status=data["status"],
                completed_on=data["completed_on"],
                evidence=data["evidence"],
                note=data["note"],
            ),
            done=_("Progress reported."),
        ):
            return progress_done(request, pk)
    template = "monitoring/progress.html"
    if request.htmx:
        template += "#progress-panel"  # an invalid report keeps what was typed
    return render(request, template, progress_context(request, row, form))


def progress_context(
    request: AuthedRequest, row: Progress, form: forms.ProgressForm | None = None
) -> dict[str, Any]:
    """What the progress page (and its panel) shows: the row, its history and the forms."""
    initial = {
        "status": row.status if row.status != Progress.Status.CANCELLED else "",
        "completed_on": row.completed_on,
        "evidence": row.evidence_id,
        "note": row.note,
        "version": row.version,
    }
    return {
        "row": row,
        "today": timezone.localdate(),
        "form": form or forms.ProgressForm(initial=initial, unit_id=row.unit_id),
        "can_report": row.unit_id in permissions.unit_ids(request.user),
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "review_form": forms.ReviewForm(initial={"version": row.version}),
        "extend_form": forms.ExtendForm(),
        "cancel_form": forms.ReasonForm(),
        "history": queries.history(row),
    }


def progress_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """After an action on a unit's progress: with htmx its panel as it now is (the message
    inside), else the page again."""
    if not request.htmx:
        return redirect("monitoring:progress", pk=pk)
    row = queries.get_progress_for_reader(request.user, pk)
    return render(
        request, "monitoring/progress.html#progress-panel", progress_context(request, row)
    )


@require_GET
@login_required
def calendar_unit_options(request: AuthedRequest) -> HttpResponse:
    """The calendar's unit picker's options, for those who read every unit's monitoring."""
    queries.require(request.user, "view_plans")
    return units_views.picker_options(request, queries.readable_units(request.user))


@require_GET
@login_required
def calendar(request: AuthedRequest) -> HttpResponse:
    """A unit's reporting calendar for a year: every report due, sent on time, late, returned."""
    queries.require(request.user, "view_monitoring")
    today = timezone.localdate()
    picker = None  # those who read every unit pick one by its code, with suggestions
    if permissions.has(request.user, "view_plans"):
        picker = PickedUnitForm(
            request.GET if "code" in request.GET else None,
            units=queries.readable_units(request.user),
            options_url=reverse("monitoring:calendar_unit_options"),
            field="code",
        )
    unit = picker.picked if picker is not None else None
    if unit is None:  # links name the unit by id (a code that names none keeps its refusal)
        unit_pk = request.GET.get("unit", "")
        unit = queries.get_unit_for_reader(
            request.user, int(unit_pk) if unit_pk.isdigit() else None
        )
    if picker is not None and not picker.is_bound:
        picker.initial["code"] = unit  # shown by its code
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2200 else today.year
    rows = queries.unit_calendar(unit, year, today)
    can_submit = unit.pk in permissions.unit_ids(request.user)
    due = [row for row in rows if row.state not in ("upcoming",)]
    counted = [row for row in due if row.state != "due"]
    context = {
        "unit": unit,
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": rows,
        "picker": picker,
        "on_time": sum(1 for row in counted if row.state == "on_time"),
        "counted": len(counted),
        "can_submit": can_submit,
        "form": forms.SubmitReportForm(unit=unit) if can_submit else None,
    }
    return render(request, "monitoring/calendar.html", context)


@require_POST
@login_required
def submit_report(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """The unit sends a report for a period (its own unit only)."""
    queries.require(request.user, "unit_work")
    unit = queries.get_unit_for_reader(request.user, unit_pk)
    if unit.pk not in permissions.unit_ids(request.user):
        from django.http import Http404

        raise Http404
    form = forms.SubmitReportForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                by=request.user,
                report_type=data["report_type"],
                unit=unit,
                period=data["period"],
                submitted_on=data["submitted_on"],
                document=data["document"],
                note=data["note"],
            )
        except services.Refused as refused:
            messages.error(request, " ".join(refused.problems))
        else:
            messages.success(request, _("Report recorded."))
    else:
        messages.error(
            request, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
    return redirect(f"{_calendar_url(unit.pk)}&year={request.POST.get('period', '')[:4]}")


def _calendar_url(unit_pk: int) -> str:
    from django.urls import reverse

    return f"{reverse('monitoring:calendar')}?unit={unit_pk}"


@require_http_methods(["GET", "POST"])
@login_required
def finding(request: AuthedRequest, pk: int) -> HttpResponse:
    """A finding of an inspection: the unit reports its remedy; the office verifies it."""
    row = queries.get_finding_for_reader(request.user, pk)
    unit_id = row.inspection.unit_id
    can_report = unit_id in permissions.unit_ids(request.user)
    form = forms.RemedyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "reported_on": row.reported_on or timezone.localdate(),
            "evidence": row.evidence_id,
            "note": row.report_note,
            "version": row.version,
        },
        unit_id=unit_id,
    )
    if request.method == "POST":
        row = queries.get_finding_for_unit(request.user, pk)
        if submit(
            request,
            form,
            lambda data: services.report_remedy(
                by=request.user,
                finding=row,
                version=data["version"],
                reported_on=data["reported_on"],
                evidence=data["evidence"],
                note=data["note"],
            ),
            done=_("Remedy reported; the PAR office will verify it."),
        ):
            return redirect("monitoring:finding", pk=pk)
    context = {
        "row": row,
        "today": timezone.localdate(),
        "form": form,
        "can_report": can_report,
        "can_manage": permissions.has(request.user, "manage_monitoring"),
        "verify_form": forms.VerifyForm(initial={"version": row.version}),
        "history": queries.history(row),
    }
    return render(request, "monitoring/finding.html", context)
