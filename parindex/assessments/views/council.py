"""The appraisal council's page (approve units, send back, finalise) and the office's reopening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import pages, queries, services
from parindex.assessments.forms import ReasonForm, ReopenForm
from parindex.rounds.models import Round


@require_GET
@login_required
def council(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Self vs appraised totals per unit, adjusted items, disagreements; approve or send back."""
    if not (permissions.is_council(request.user) or permissions.is_office(request.user)):
        raise PermissionDenied
    round_ = get_object_or_404(Round, pk=round_pk)
    rows = pages.council_summary(round_)
    context = {
        "round": round_,
        "rows": rows,
        "can_decide": permissions.is_council(request.user) and round_.is_open,
        "ready": rows and all(r.assessment.is_approved for r in rows),
        "reason_form": ReasonForm(),
    }
    return render(request, "assessments/council.html", context)


def _council_assessment(request: AuthedRequest, pk: int):
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    if not permissions.is_council(request.user):
        raise PermissionDenied
    return assessment


@require_POST
@login_required
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """The council approves a unit's final scores."""
    assessment = _council_assessment(request, pk)
    try:
        services.approve(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Approved: %(unit)s.") % {"unit": assessment.unit})
    return redirect("assessments:council", round_pk=assessment.round_id)


@require_POST
@login_required
def send_back(request: AuthedRequest, pk: int) -> HttpResponse:
    """The council sends a unit's scores back to the appraisers, with the reason."""
    assessment = _council_assessment(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.send_back(
                assessment=assessment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Sent back to the appraisers."))
    else:
        messages.error(request, _("Say why the scores go back to the appraisers."))
    return redirect("assessments:council", round_pk=assessment.round_id)


@require_POST
@login_required
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """The PAR office reopens an assessment for the unit or the appraisers, with the reason."""
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reopen(
                assessment=assessment,
                by=request.user,
                reason=data["reason"],
                to=data["to"],
                until_on=data["until_on"],
            )
        except services.Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Reopened."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("assessments:detail", pk=pk)
