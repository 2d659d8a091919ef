"""The unit's pages: its assessments, the self-assessment grid, submission and explanations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import answers, pages, printing, queries, services
from parindex.assessments.forms import AnswerForm, LeafForm, ReopenForm
from parindex.indexsets.problems import error_message


@require_GET
@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """The assessments of the user's units, with status and deadline."""
    rows = pages.my_assessments(request.user)
    return render(request, "assessments/mine.html", {"rows": rows})


@require_GET
@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The self-assessment grid of one area: inputs, rules, evidence, the engine's points."""
    assessment, share = queries.get_assessment_for_page(request.user, pk)
    grid = pages.grid(assessment, request.GET.get("area"), only=share)
    can_edit = permissions.can_edit_assessment(request.user, assessment) or bool(share)
    actions = queries.assessment_actions(request.user, assessment, grid.lock)
    context = {
        "grid": grid,
        "assessment": assessment,
        "share": share,
        "can_edit": can_edit and not grid.lock,
        "actions": actions,
        "reopen_form": ReopenForm() if actions.reopen else None,
    }
    return render(request, "assessments/detail.html", context)


@require_POST
@login_required
def save_item(request: AuthedRequest, pk: int) -> HttpResponse:
    """Autosave one leaf (htmx): the engine scores it; conflicts and errors show in the row."""
    item = queries.get_item_for_unit(request.user, pk)
    form = LeafForm(request.POST)
    error = conflict = None
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        node = queries.engine_set_for(item.assessment).criterion(item.criterion.code)
        typed = data["value"]
        try:
            answer = answers.parse_input(node, typed, na=data["na"])
            services.save_self_item(
                item=item,
                by=request.user,
                version=data["version"],
                answer=answer,
                note=data["note"],
                no_evidence_reason=data["no_evidence_reason"],
            )
            saved = True
        except answers.InputInvalid as invalid:
            error = str(invalid)
        except engine.EngineError as refused:
            error = error_message(refused)
        except services.Refused as refused:
            error = str(refused)
        except services.Conflict as clash:
            conflict = pages.conflict_text(clash.item, typed or _("(empty)"))
    else:
        error = _("The row could not be read; reload the page.")
    context = pages.saved_row_context(item, request.GET.get("area"), user=request.user)
    context.update({"error": error, "conflict": conflict, "saved": saved, "can_edit": True})
    if error and not conflict:
        # Keep what was typed so the person can correct it.
        context["row"].value_text = request.POST.get("value", "")
        context["row"].item.note = request.POST.get("note", "")
        context["row"].item.no_evidence_reason = request.POST.get("no_evidence_reason", "")
    return render(request, "assessments/_saved.html", context)


@require_GET
@login_required
def check(request: AuthedRequest, pk: int) -> HttpResponse:
    """The completeness check: what is still missing before the unit head can submit."""
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    gaps = queries.completeness(assessment)
    can_submit = (
        permissions.can_submit_assessment(request.user, assessment)
        and assessment.status == assessment.Status.DRAFT
    )
    context = {"assessment": assessment, "gaps": gaps, "can_submit": can_submit}
    return render(request, "assessments/check.html", context)


@require_GET
@login_required
def print_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The self-assessment as a form to print on A4 and sign (unit head, with the seal)."""
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    form = printing.print_form(assessment)
    return render(request, "assessments/print.html", {"assessment": assessment, "form": form})


@require_POST
@login_required
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit head submits the self-assessment for appraisal."""
    assessment = queries.get_assessment_for_head(request.user, pk)
    try:
        services.submit(assessment=assessment, by=request.user)
    except services.Incomplete as incomplete:
        messages.error(
            request,
            _("Not submitted: %(n)d thing(s) are missing (see the list below).")
            % {"n": len(incomplete.gaps)},
        )
        return redirect("assessments:check", pk=pk)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Submitted for appraisal."))
    return redirect("assessments:detail", pk=pk)


@require_POST
@login_required
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit head takes the submission back to correct it."""
    assessment = queries.get_assessment_for_head(request.user, pk)
    try:
        services.withdraw(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Withdrawn: the self-assessment can be corrected again."))
    return redirect("assessments:detail", pk=pk)


@require_GET
@login_required
def item_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything that happened to one item: self value, appraisals, explanation, final."""
    item = queries.get_item_for_viewer(request.user, pk)
    context = {"item": item, **queries.item_history(item)}
    return render(request, "assessments/history.html", context)


@require_GET
@login_required
def explanations(request: AuthedRequest, pk: int) -> HttpResponse:
    """The appraisers' questions to the unit, each with its answer form and new evidence."""
    assessment = queries.get_assessment_for_viewer(request.user, pk)
    context = pages.explanations_page(assessment, request.user)
    return render(request, "assessments/explanations.html", context)


@require_POST
@login_required
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit answers one explanation request."""
    explanation = queries.get_request_for_unit(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_request(
                request=explanation, by=request.user, answer=form.cleaned_data["answer"]
            )
        except services.Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Explanation for %(code)s saved.") % {"code": explanation.item.criterion.code},
            )
    else:
        messages.error(request, _("Write the explanation."))
    return redirect("assessments:explanations", pk=explanation.item.assessment_id)


@require_POST
@login_required
def send_explanations(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit head sends the explanations to the appraisers."""
    assessment = queries.get_assessment_for_head(request.user, pk)
    try:
        services.send_explanations(assessment=assessment, by=request.user)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Explanations sent to the appraisers."))
    return redirect("assessments:explanations", pk=pk)
