"""The appraisal council's page (approve units, send back, finalise) and the office's reopening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts import limits, permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import minutes, pages, queries, services
from parindex.assessments.forms import ReasonForm, ReopenForm
from parindex.assessments.models import Assessment
from parindex.core.paging import paginate
from parindex.rounds.models import Round

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COUNCIL_PAGE = 50  # units per page of the council's table


def _council_round(request: AuthedRequest, round_pk: int) -> Round:
    """The round whose council page the user may read: the council's and the office's."""
    if not (permissions.is_council(request.user) or permissions.is_office(request.user)):
        raise PermissionDenied
    return get_object_or_404(Round, pk=round_pk)


@require_GET
@login_required
def council(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Self vs appraised totals per unit, adjusted items, disagreements; approve or send back."""
    round_ = _council_round(request, round_pk)
    sort = request.GET.get("sort", "unit")
    rows = pages.council_rows(round_)
    if sort in pages.SORTS_BY_SCORE:
        pages.add_council_percents(round_, rows)
    groups = pages.council_groups(rows, sort=sort)
    # a page of units at a time, in the groups' order: a national round's 3,500 rows took 1 s
    paged = paginate(request, [row for group in groups for row in group.rows], COUNCIL_PAGE)
    # scoring the units shown is enough (2.6 s → 0.3 s at national scale)
    pages.add_council_scores(round_, paged["page_obj"].object_list)
    context = {
        **paged,
        "round": round_,
        "rows": rows,
        "groups": pages.council_page(groups, paged["page_obj"].object_list),
        "sort": sort if sort in pages.COUNCIL_SORTS else "unit",
        "can_decide": permissions.is_council(request.user) and round_.is_open,
        "ready": rows and all(r.assessment.is_approved for r in rows),
        "reason_form": ReasonForm(),
    }
    return render(request, "assessments/council.html", context)


@require_GET
@login_required
@limits.download
def council_minutes(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """The minutes of the council's meeting (biên bản) as DOCX, from the council page's rows."""
    round_ = _council_round(request, round_pk)
    data = minutes.minutes_docx(
        round_,
        pages.council_summary(round_),
        minutes.council_members(),
        today=timezone.localdate(),
    )
    response = HttpResponse(data, content_type=DOCX)
    name = f"bien-ban-hoi-dong-tham-dinh-{round_.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
def approve_many(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """The council approves the ticked units of a round, after one confirmation."""
    if not permissions.is_council(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(Round, pk=round_pk)
    ids = [int(pk) for pk in request.POST.getlist("assessment") if pk.isdigit()]
    chosen = list(
        Assessment.objects.filter(round=round_, pk__in=ids)
        .select_related("round", "unit")
        .order_by("unit__code")
    )
    if not chosen:
        messages.error(request, _("Tick the units to approve."))
    else:
        try:
            approved = services.approve_many(assessments=chosen, by=request.user)
        except services.Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("%(n)d unit(s) approved.") % {"n": approved})
    return redirect("assessments:council", round_pk=round_.pk)


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
