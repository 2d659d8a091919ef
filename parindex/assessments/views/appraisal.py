"""The appraisers' pages: their queue, the appraisal of an area, returning and finalising."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import answers, pages, queries, services
from parindex.assessments.forms import DecisionForm
from parindex.assessments.models import Assessment
from parindex.core.paging import paginate
from parindex.indexsets.problems import error_message

GROUPS_PER_PAGE = 20  # units per page of the queue (each with its assigned areas)


@require_GET
@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    """The appraiser's work: assigned units × areas, with progress and deadlines."""
    if not permissions.can_appraise(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()[:100]
    drafts = request.GET.get("drafts") == "1" or status == Assessment.Status.DRAFT
    rows = pages.appraiser_queue(request.user, status=status, search=search)
    groups = pages.queue_groups(rows, drafts=drafts)
    hidden = len({row.assessment.pk for row in rows}) - len(groups)
    context = {
        "status": status,
        "search": search,
        "drafts": drafts,
        "hidden_drafts": hidden,
        "statuses": Assessment.Status.choices,
        **paginate(request, groups, per_page=GROUPS_PER_PAGE),
    }
    return render(request, "assessments/queue.html", context)


@require_GET
@login_required
def appraise(request: AuthedRequest, pk: int) -> HttpResponse:
    """Appraise one area: self value and evidence beside each leaf, the decision form."""
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    if not (
        permissions.can_appraise(request.user, assessment)
        or permissions.is_office(request.user)
        or permissions.is_council(request.user)
    ):
        raise PermissionDenied
    area = request.GET.get("area") or queries.first_assigned_area(assessment, request.user)
    page = pages.appraisal_page(assessment, area, request.user)
    return render(request, "assessments/appraise.html", {"page": page, "assessment": assessment})


@require_POST
@login_required
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a decision on one item (htmx: the row comes back with the result or the error)."""
    item = queries.get_item_for_appraiser(request.user, pk)
    form = DecisionForm(request.POST)
    error = conflict = None
    if form.is_valid():
        data = form.cleaned_data
        node = queries.engine_set_for(item.assessment).criterion(item.criterion.code)
        try:
            answer = None
            if data["decision"] == "adjust":
                answer = answers.parse_input(node, data["value"], na=data["na"])
            services.decide(
                item=item,
                by=request.user,
                version=data["version"],
                decision=data["decision"],
                answer=answer,
                reason=data["reason"],
                question=data["question"],
            )
        except answers.InputInvalid as invalid:
            error = str(invalid)
        except engine.EngineError as refused:
            error = error_message(refused)
        except services.Refused as refused:
            error = str(refused)
        except services.Conflict as clash:
            conflict = pages.conflict_text(clash.item, data["value"] or data["decision"])
    else:
        error = _("Choose a decision.")
    if not request.htmx:
        if error or conflict:
            messages.error(request, error or conflict or "")
        url = reverse("assessments:appraise", args=[item.assessment_id])
        return redirect(f"{url}?area={item.area.code}#item-{item.pk}")
    page = pages.appraisal_page(item.assessment, item.area.code, request.user)
    row = next(row for row in page.grid.rows if row.item is not None and row.item.pk == item.pk)
    context = {
        "page": page,
        "row": row,
        "assessment": item.assessment,
        "error": error,
        "conflict": conflict,
        "posted": request.POST if error else None,
    }
    return render(request, "assessments/_decided.html", context)


@require_POST
@login_required
def return_to_unit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the explanation requests of the first appraisal to the unit."""
    assessment = queries.get_assessment_for_appraiser(request.user, pk)
    try:
        services.return_to_unit(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The requests were sent to the unit."))
    return redirect("assessments:appraise", pk=pk)


@require_POST
@login_required
def finalise(request: AuthedRequest, pk: int) -> HttpResponse:
    """Finalise the appraisal of a unit (every item decided)."""
    assessment = queries.get_assessment_for_appraiser(request.user, pk)
    try:
        services.finalise(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Appraisal finalised; it awaits the council's approval."))
    return redirect("assessments:appraise", pk=pk)


@require_POST
@login_required
def accept_rest(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept every undecided self-assessed value of one area the appraiser is assigned."""
    assessment = queries.get_assessment_for_appraiser(request.user, pk)
    area = queries.assigned_area(assessment, request.user, request.POST.get("area", ""))
    try:
        accepted = services.accept_undecided(
            assessment=assessment, area_id=area.pk, by=request.user
        )
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(n)d item(s) accepted.") % {"n": accepted})
    url = reverse("assessments:appraise", args=[pk])
    return redirect(f"{url}?area={area.code}")


@require_POST
@login_required
def accept_remaining(request: AuthedRequest, pk: int) -> HttpResponse:
    """Accept every undecided self-assessed value in all the unit's areas the appraiser has."""
    assessment = queries.get_assessment_for_appraiser(request.user, pk)
    try:
        accepted = services.accept_remaining(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(unit)s: %(n)d item(s) accepted.") % {"unit": assessment.unit, "n": accepted},
        )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("assessments:queue")
