"""Responses of a campaign: the list with its checks, file imports, leaving responses out, and
the data-entry page for paper forms (double entry)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.surveys import forms_public, pages, queries
from parindex.surveys.forms import ExcludeForm, PaperForm, UnitGroupForm, UploadForm
from parindex.surveys.models import Response
from parindex.surveys.responsefile import response_rows
from parindex.surveys.services import collection, responses
from parindex.surveys.services.campaigns import CampaignRefused


@require_http_methods(["GET", "POST"])
@login_required
def campaign_responses(request: AuthedRequest, pk: int) -> HttpResponse:
    """The responses with their checks (duplicates, straight-lining); leave some out or back."""
    run = queries.get_campaign_for_manager(request.user, pk)
    if request.method == "POST":
        form = ExcludeForm(request.POST)
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        if form.is_valid() and ids:
            try:
                if form.cleaned_data["action"] == "exclude":
                    changed = responses.exclude_responses(
                        campaign=run, ids=ids, reason=form.cleaned_data["reason"], by=request.user
                    )
                else:
                    changed = responses.include_responses(campaign=run, ids=ids, by=request.user)
            except CampaignRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("%(n)d response(s) changed.") % {"n": changed})
        else:
            messages.error(request, _("Tick the responses first."))
        return redirect(request.get_full_path())
    filters = pages.params(request, "q", "group", "channel", "flag")
    context = {
        "campaign": run,
        "filters": filters,
        "groups": run.questionnaire.groups.all(),
        "channels": Response.Channel.choices,
        **paginate(request, pages.responses(run, filters)),
    }
    return render(request, "surveys/campaign_responses.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def campaign_responses_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Import responses from CSV or XLSX in long form: checked first, all or nothing."""
    run = queries.get_campaign_for_manager(request.user, pk)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        help_text=_("CSV or XLSX: response_id,group,unit_code,question_code,answer."),
    )
    problems: list[str] = []
    stored = None
    if form.is_valid():
        data, name = form.cleaned_data["file"]
        try:
            stored = responses.import_responses(
                campaign=run,
                rows=response_rows(data, name),
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except responses.ResponsesRefused as refused:
            problems = refused.problems
        else:
            if not stored.dry_run:
                messages.success(
                    request,
                    _("%(n)d response(s) imported (%(d)d duplicates, %(s)d straight-lined).")
                    % {"n": stored.responses, "d": stored.duplicates, "s": stored.straightlined},
                )
                return redirect("surveys:campaign_responses", pk=run.pk)
    context = {"campaign": run, "form": form, "problems": problems, "stored": stored}
    return render(request, "surveys/campaign_responses_import.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def paper(request: AuthedRequest, pk: int) -> HttpResponse:
    """Type in a paper form: choose the unit and group, then the number and each answer's code.
    A second person types the same form; only matching entries make a response."""
    run = queries.get_campaign_for_data_entry(request.user, pk)
    data = request.POST if request.method == "POST" else request.GET
    chooser = UnitGroupForm(data if "unit" in data else None, campaign=run, auto_id="p-%s")
    unit = group = None
    if chooser.is_bound and chooser.is_valid():
        unit, group = chooser.cleaned_data["unit"], chooser.cleaned_data["group"]
    form = None
    outcome = None
    if unit and group:
        questions = forms_public.group_questions(run.questionnaire, group)
        form = PaperForm(
            request.POST if request.method == "POST" else None,
            campaign=run,
            questions=questions,
            initial={"unit": unit.code, "group": group.pk},
        )
        if request.method == "POST" and form.is_valid():
            try:
                outcome = collection.enter_paper_form(
                    campaign=run,
                    form_number=form.cleaned_data["form_number"],
                    unit=unit,
                    group=group,
                    answers=form.answers(),
                    by=request.user,
                )
            except collection.FormRefused as refused:
                form.add_error(None, "; ".join(refused.problems))
            else:
                messages.success(request, _paper_message(outcome, form.cleaned_data["form_number"]))
                if outcome.status != "differs":
                    chosen = urlencode({"unit": unit.code, "group": group.pk})
                    return redirect(f"{request.path}?{chosen}")
    context = {
        "campaign": run,
        "chooser": chooser,
        "unit": unit,
        "group": group,
        "form": form,
        "outcome": outcome,
        "waiting": queries.paper_waiting(run),
    }
    return render(request, "surveys/paper.html", context)


def _paper_message(outcome: collection.PaperOutcome, number: str) -> str:
    if outcome.status == "accepted":
        return _("Form %(number)s matches the other entry: the response is accepted.") % {
            "number": number
        }
    if outcome.status == "waiting":
        return _("Form %(number)s is saved; another person must now type it again.") % {
            "number": number
        }
    return _(
        "Form %(number)s differs from the other entry on: %(questions)s. Check the paper form; "
        "a third entry matching one of them settles it."
    ) % {"number": number, "questions": ", ".join(outcome.differing)}
