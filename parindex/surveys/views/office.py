"""The office's survey pages: the overview, questionnaires (import, export, copy) and campaigns
(start, progress, targets, invitations, reminders, closing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.surveys import files, pages, queries
from parindex.surveys.forms import (
    CampaignForm,
    CopyForm,
    InviteForm,
    ReopenForm,
    TargetForm,
    UploadForm,
)
from parindex.surveys.models import Campaign
from parindex.surveys.services import campaigns, questionnaires
from parindex.surveys.services.campaigns import CampaignRefused, Invitee, TargetRow
from parindex.surveys.sheets import invitation_sheets
from parindex.surveys.spec import QuestionnaireRefused
from parindex.units import views as units_views

TARGETS_PAGE = 50  # targets a page (a national campaign has one per unit and group)

PDF = "application/pdf"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Campaigns (filters and sorting in the URL) and questionnaires, newest first."""
    queries.require(request.user, "view_surveys")
    filters = pages.params(request, "round", "status", "q", "sort")
    context = {
        "filters": filters,
        "sort": filters["sort"] or "round",
        "statuses": Campaign.Status.choices,
        "rounds": queries.campaign_rounds(),
        "questionnaires": queries.questionnaires()[:50],
        **paginate(request, pages.campaigns(filters)),
    }
    return render(request, "surveys/index.html", context)


# -- questionnaires ------------------------------------------------------------------------------


@require_GET
@login_required
def questionnaire(request: AuthedRequest, pk: int) -> HttpResponse:
    """A questionnaire version: groups, answer scale, questions, versions, copy and export."""
    stored = queries.get_questionnaire_for_reader(request.user, pk)
    return render(request, "surveys/questionnaire.html", queries.questionnaire_context(stored))


@require_GET
@login_required
@limits.download
def questionnaire_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The questionnaire as its YAML file or its XLSX form."""
    stored = queries.get_questionnaire_for_reader(request.user, pk)
    file_format = request.GET.get("format", "yaml")
    if file_format not in files.FORMATS:
        file_format = "yaml"
    exported = files.export_questionnaire(
        queries.questionnaire_spec(stored), file_format, stored.version
    )
    return download(exported.content, exported.filename, exported.content_type)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def questionnaire_import(request: AuthedRequest) -> HttpResponse:
    """Import a questionnaire from YAML or XLSX (checked first; a known code gets a version)."""
    queries.require(request.user, "manage_surveys")
    form = UploadForm(
        request.POST or None, request.FILES or None, help_text=_("YAML file or XLSX form.")
    )
    problems: list[str] = []
    result = None
    if form.is_valid():
        data, name = form.cleaned_data["file"]
        try:
            spec = files.read_questionnaire_file(data, name)
            result = questionnaires.import_questionnaire(
                spec=spec, by=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except QuestionnaireRefused as refused:
            problems = refused.problems
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    _("Questionnaire %(code)s version %(version)d saved.")
                    % {"code": result.questionnaire.code, "version": result.questionnaire.version}
                    if result.action != "unchanged"
                    else _("The file equals the latest version; nothing changed."),
                )
                return redirect("surveys:questionnaire", pk=result.questionnaire.pk)
    context = {"form": form, "problems": problems, "result": result}
    return render(request, "surveys/questionnaire_import.html", context)


@require_POST
@login_required
def questionnaire_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    """Copy a questionnaire to next year's index set (a new code)."""
    source = queries.get_questionnaire_for_manager(request.user, pk)
    form = CopyForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            copy = questionnaires.copy_questionnaire(
                source=source,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                index_set_code=form.cleaned_data["index_set"],
                by=request.user,
            ).questionnaire
        except QuestionnaireRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, _("Copied as %(code)s.") % {"code": copy.code})
            return redirect("surveys:questionnaire", pk=copy.pk)
    context = {**queries.questionnaire_context(source), "copy_form": form, "problems": problems}
    return render(request, "surveys/questionnaire.html", context)


# -- campaigns -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def campaign_create(request: AuthedRequest) -> HttpResponse:
    """Start a campaign: a questionnaire version in a round, until a close date."""
    queries.require(request.user, "manage_surveys")
    form = CampaignForm(request.POST or None)
    if form.is_valid():
        try:
            campaign = campaigns.create_campaign(
                questionnaire=form.cleaned_data["questionnaire"],
                round_=form.cleaned_data["round"],
                closes_on=form.cleaned_data["closes_on"],
                by=request.user,
            )
        except CampaignRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The campaign has started."))
            return redirect("surveys:campaign", pk=campaign.pk)
    return render(request, "surveys/campaign_form.html", {"form": form})


@require_GET
@login_required
def campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Progress per unit and group with bars, against the sample targets; the actions."""
    run = queries.get_campaign_for_reader(request.user, pk)
    filters = pages.params(request, "q", "group", "state", "sort")
    rows = pages.progress_rows(run, filters)
    context = {
        "campaign": run,
        "filters": filters,
        "sort": filters["sort"] or "unit",
        "groups": run.questionnaire.groups.all(),
        "totals": pages.totals(rows),
        "reopen_form": ReopenForm(),
        **paginate(request, rows),
    }
    return render(request, "surveys/campaign.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def campaign_targets(request: AuthedRequest, pk: int) -> HttpResponse:
    """Which groups evaluate which units, and the sample to reach."""
    run = queries.get_campaign_for_manager(request.user, pk)
    form = TargetForm(request.POST or None, campaign=run)
    if form.is_valid():
        data = form.cleaned_data
        rows = [
            TargetRow(unit, data["group"], data["population"], data["sample"])
            for unit in form.units(run)
        ]
        try:
            changed = campaigns.set_targets(campaign=run, rows=rows, by=request.user)
        except CampaignRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("%(n)d target(s) set.") % {"n": changed})
            return redirect("surveys:campaign_targets", pk=run.pk)
    context = {
        "campaign": run,
        "form": form,
        **paginate(request, queries.targets(run), TARGETS_PAGE),
    }
    return render(request, "surveys/campaign_targets.html", context)


@require_GET
@login_required
def campaign_unit_options(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit picker's options (targets, links, paper forms, the lost points' unit): the
    campaign's units matching what is typed, for whoever may read the campaign."""
    run = queries.get_campaign_for_reader(request.user, pk)
    return units_views.picker_options(request, queries.campaign_units(run))


@require_http_methods(["GET", "POST"])
@login_required
def campaign_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issue one-time links: printed on A4 cards with QR codes, or e-mailed from a list."""
    run = queries.get_campaign_for_manager(request.user, pk)
    form = InviteForm(request.POST or None, campaign=run, prefix="sheet")
    upload = UploadForm(
        None,
        help_text=_("CSV or XLSX: unit_code,group,name,email. Each person gets their own link."),
        prefix="list",
    )
    problems: list[str] = []
    if request.method == "POST" and "list-file" in request.FILES:
        upload = UploadForm(request.POST, request.FILES, prefix="list")
        form = InviteForm(campaign=run, prefix="sheet")
        if upload.is_valid():
            data, name = upload.cleaned_data["file"]
            try:
                invitees = campaigns.read_invitees(run, data, name)
            except CampaignRefused as refused:
                problems = refused.problems
            else:
                return _issue(request, run, invitees)
    elif form.is_valid():
        data = form.cleaned_data
        return _issue(request, run, [Invitee(data["unit"], data["group"])] * data["count"])
    context = {"campaign": run, "form": form, "upload": upload, "problems": problems}
    return render(request, "surveys/campaign_invite.html", context)


def _issue(request: AuthedRequest, run: Campaign, invitees: list[Invitee]) -> HttpResponse:
    try:
        issued = campaigns.issue_invitations(campaign=run, invitees=invitees, by=request.user)
    except CampaignRefused as refused:
        messages.error(request, str(refused))
        return redirect("surveys:campaign_invite", pk=run.pk)
    return download(invitation_sheets(run, issued), f"phieu-moi-{run.code}.pdf", PDF)


def _campaign_action(request: AuthedRequest, pk: int, act: object) -> HttpResponse:
    run = queries.get_campaign_for_manager(request.user, pk)
    try:
        message = act(run)  # type: ignore[operator]
    except CampaignRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, message)
    return redirect("surveys:campaign", pk=run.pk)


@require_POST
@login_required
def campaign_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    """E-mail a new link to the invitees who have not answered."""

    def act(run: Campaign) -> str:
        sent = campaigns.send_reminders(campaign=run, by=request.user)
        return _("%(n)d survey reminder(s) sent.") % {"n": sent}

    return _campaign_action(request, pk, act)


@require_POST
@login_required
def campaign_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stop collecting."""

    def act(run: Campaign) -> str:
        campaigns.close_campaign(campaign=run, by=request.user)
        return _("The campaign is closed.")

    return _campaign_action(request, pk, act)


@require_POST
@login_required
def campaign_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Collect again until a new date."""
    form = ReopenForm(request.POST)

    def act(run: Campaign) -> str:
        if not form.is_valid():
            raise CampaignRefused(
                " ".join(str(e) for errors in form.errors.values() for e in errors),
                code="campaign.reopen_invalid",
            )
        campaigns.reopen_campaign(
            campaign=run, closes_on=form.cleaned_data["closes_on"], by=request.user
        )
        return _("The campaign collects again.")

    return _campaign_action(request, pk, act)
