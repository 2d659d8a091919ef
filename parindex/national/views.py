"""Pages of the national PAR Index: tables, imports, the analysis and its documents, settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.services import set_letterhead
from parindex.documents import xlsx
from parindex.monitoring.forms import NationalRemediationForm
from parindex.monitoring.services import draft_national_remediation_plan
from parindex.monitoring.views import submit
from parindex.national import exports, pages, queries, services
from parindex.national.forms import (
    AliasForm,
    AppraisedImportForm,
    AreaFormSet,
    ConfirmReplaceForm,
    SettingsForm,
    TableImportForm,
)
from parindex.national.importing import ImportFailed, ParsedTables, parse_appraised, parse_tables
from parindex.national.report import ReportError, build_report

PENDING_IMPORT = "national.pending_import"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    """The imported years with our province's place in each, and where to go next."""
    summaries = queries.table_summaries(request.user)
    context = {"summaries": summaries, "our_province": queries.our_province_name()}
    return render(request, "national/overview.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def table_import(request: AuthedRequest) -> HttpResponse:
    """Import national tables; a year already imported is replaced only after confirmation."""
    queries.require_manager(request.user)
    form = TableImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    report = None
    if form.is_valid():
        data, name = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            parsed = parse_tables(data, source_name=name)
            report = services.import_national_tables(
                by=request.user, parsed=parsed, dry_run=dry_run
            )
        except ImportFailed as failure:
            problems = failure.problems
        except services.NeedsConfirmation:
            request.session[PENDING_IMPORT] = parsed.to_session()
            return redirect("national:import_confirm")
        else:
            if not dry_run:
                messages.success(request, pages.import_message(report))
                return redirect("national:overview")
    context = {"form": form, "problems": problems, "report": report}
    return render(request, "national/import.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def table_import_confirm(request: AuthedRequest) -> HttpResponse:
    """Confirm (with a reason) or cancel replacing years that were already imported."""
    queries.require_manager(request.user)
    pending = request.session.get(PENDING_IMPORT)
    if not pending:
        messages.info(request, _("There is no import waiting for confirmation."))
        return redirect("national:import")
    parsed = ParsedTables.from_session(pending)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(PENDING_IMPORT, None)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect("national:overview")
    form = ConfirmReplaceForm(request.POST or None)
    if form.is_valid():
        report = services.import_national_tables(
            by=request.user, parsed=parsed, replace=True, reason=form.cleaned_data["reason"]
        )
        request.session.pop(PENDING_IMPORT, None)
        messages.success(request, pages.import_message(report))
        return redirect("national:overview")
    context = {"form": form, "changes": pages.replacement_preview(parsed)}
    return render(request, "national/import_confirm.html", context)


@require_GET
@login_required
@limits.download
def year_table(request: AuthedRequest, year: int) -> HttpResponse:
    """A year's whole national table, ranked, with every area's percent and rank."""
    table = queries.get_table_for_viewer(request.user, year)
    areas, rows = queries.ranked_rows(table)
    if request.GET.get("format") == "xlsx":
        sheet = xlsx.Sheet(str(year), pages.year_table_rows(areas, rows), widths={1: 24})
        response = HttpResponse(xlsx.write_xlsx([sheet]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="chi-so-cchc-{year}.xlsx"'
        return response
    context = {"table": table, "areas": areas, "rows": rows}
    return render(request, "national/year.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def year_areas(request: AuthedRequest, year: int) -> HttpResponse:
    """Edit a year's area names, maximum points and leading departments."""
    table = queries.get_table_for_manager(request.user, year)
    initial = [
        {"code": a.code, "name": a.name, "max_points": a.max_points, "lead": a.lead}
        for a in table.areas.all()
    ]
    formset = AreaFormSet(request.POST or None, initial=initial)
    if formset.is_valid():
        services.update_areas(
            by=request.user,
            table=table,
            changes=[
                services.AreaChange(
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    max_points=form.cleaned_data["max_points"],
                    lead=form.cleaned_data["lead"],
                )
                for form in formset
            ],
        )
        messages.success(request, _("Changes saved."))
        return redirect("national:year", year=year)
    return render(request, "national/year_areas.html", {"table": table, "formset": formset})


@require_GET
@login_required
def analysis(request: AuthedRequest) -> HttpResponse:
    """The province's place in a year's national table, written up as the memo does."""
    queries.require_viewer(request.user)
    choice = pages.analysis_choice(request.GET)
    context: dict = {"choice": choice}
    if choice.province and choice.year:
        try:
            report = build_report(province=choice.province, year=choice.year)
        except ReportError as error:
            context["error"] = str(error)
        else:
            context.update(pages.analysis_context(report))
    return render(request, "national/analysis.html", context)


@require_GET
@login_required
def survey(request: AuthedRequest) -> HttpResponse:
    """Our province's results in the Ministry's survey: where points were lost, year on year."""
    queries.require_viewer(request.user)
    province = queries.our_province_name()
    years = queries.survey_years(province) if province else []
    year = pages.chosen_year(request.GET, years)
    results = queries.survey_results(province, year) if province and year else None
    context = {"province": province, "years": years, "year": year, "results": results}
    return render(request, "national/survey.html", context)


@require_GET
@login_required
@limits.download
def analysis_docx(request: AuthedRequest) -> HttpResponse:
    """Download the analysis as a report in the administrative format (DOCX)."""
    queries.require_viewer(request.user)
    report = pages.report_or_404(request.GET)
    response = HttpResponse(exports.to_docx(report), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "docx")}"'
    return response


@require_GET
@login_required
@limits.download
def analysis_xlsx(request: AuthedRequest) -> HttpResponse:
    """Download the analysis's tables (areas, years, headroom, appendix) as a workbook."""
    queries.require_viewer(request.user)
    report = pages.report_or_404(request.GET)
    response = HttpResponse(xlsx.write_xlsx(pages.analysis_sheets(report)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "xlsx")}"'
    return response


def _provinces_page(request: AuthedRequest, form: AliasForm | None) -> HttpResponse:
    context = {
        "provinces": queries.provinces_with_aliases(),
        "mergers": queries.mergers(),
        "form": form if form is not None else AliasForm(),
    }
    return render(request, "national/provinces.html", context)


@require_GET
@login_required
def provinces(request: AuthedRequest) -> HttpResponse:
    """The provinces, their other spellings and the 2025 merger (63 into 34)."""
    queries.require_viewer(request.user)
    return _provinces_page(request, None)


@require_POST
@login_required
def alias_add(request: AuthedRequest) -> HttpResponse:
    """Add another spelling of a province's name so that imports recognise it."""
    queries.require_manager(request.user)
    form = AliasForm(request.POST)
    if not form.is_valid():
        return _provinces_page(request, form)
    services.add_alias(
        by=request.user, alias=form.cleaned_data["alias"], province=form.cleaned_data["province"]
    )
    messages.success(request, _("The alias was added."))
    return redirect("national:provinces")


@require_POST
@login_required
def alias_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a spelling from the alias table."""
    alias = queries.get_alias_for_manager(request.user, pk)
    services.delete_alias(by=request.user, alias=alias)
    messages.success(request, _("The alias was removed."))
    return redirect("national:provinces")


@require_http_methods(["GET", "POST"])
@login_required
def national_settings(request: AuthedRequest) -> HttpResponse:
    """Choose our province, the group thresholds and the letterhead of the documents."""
    queries.require_manager(request.user)
    form = SettingsForm(request.POST or None, initial=pages.settings_initial())
    if form.is_valid():
        services.set_our_province(by=request.user, province=form.cleaned_data["province"])
        services.set_groups(by=request.user, groups=form.groups())
        set_letterhead(by=request.user, letterhead=form.letterhead())
        messages.success(request, _("Changes saved."))
        return redirect("national:overview")
    return render(request, "national/settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def appraised_import(request: AuthedRequest) -> HttpResponse:
    """Import the Ministry's appraised points of a province's criteria (for the appendix)."""
    queries.require_manager(request.user)
    form = AppraisedImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    checked = None
    if form.is_valid():
        data, name = form.cleaned_data["file"]
        province, year = form.cleaned_data["province"], form.cleaned_data["year"]
        try:
            checked = services.import_appraised(
                by=request.user,
                province=province,
                year=year,
                rows=parse_appraised(data),
                replace=form.cleaned_data["replace"],
                dry_run=form.cleaned_data["dry_run"],
                source_name=name,
            )
        except ImportFailed as failure:
            problems = failure.problems
        except services.NeedsConfirmation:
            form.add_error(
                "replace",
                _("Points of %(province)s for %(year)d are already imported: tick to replace them.")
                % {"province": province.name, "year": year},
            )
        else:
            if not form.cleaned_data["dry_run"]:
                messages.success(request, _("%(count)d criteria imported.") % {"count": checked})
                return redirect(pages.analysis_url(province.name, year))
    context = {"form": form, "problems": problems, "checked": checked}
    return render(request, "national/appraised_import.html", context)


def national_source(year: int) -> str:
    """Where a remediation task's lost points come from, in the site's language (it is shown
    beside the criterion to everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("the national PAR Index %(year)d") % {"year": year}


@require_http_methods(["GET", "POST"])
@login_required
def remediation(request: AuthedRequest) -> HttpResponse:
    """Draft a remediation plan from the criteria our province lost points on in a year of the
    national PAR Index: one task per criterion, led by its owner department (monitoring's
    service; the office then edits and issues the plan there)."""
    queries.require_remedier(request.user)
    year = pages.analysis_choice(request.GET).year
    if year is None:
        raise Http404
    losses = queries.losses_to_remedy(year)
    form = NationalRemediationForm(request.POST or None, source_year=year)
    plan = submit(
        request,
        form,
        lambda data: draft_national_remediation_plan(
            by=request.user,
            source_year=year,
            source=national_source(year),
            losses=losses,
            **data,
        ),
        done=_("Remediation plan drafted; edit its tasks, then issue it."),
    )
    if plan is not None:
        return redirect("monitoring:plan_detail", pk=plan.pk)
    context = {"form": form, "year": year, "rows": pages.remedy_rows(losses)}
    return render(request, "national/remediation.html", context)
