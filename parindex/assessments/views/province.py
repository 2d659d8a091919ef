"""The office's pages for the province's assessment: owners, compiling, exports, Ministry points."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.assessments import province, province_exports
from parindex.core.numbers import NumberInvalid, typed_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_http_methods(["GET", "POST"])
@login_required
def owners(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Which department owns each area and criterion of the province's set in this round."""
    round_, assessment = province.get_round_for_owners(request.user, round_pk)
    if request.method == "POST":
        chosen: dict[int, int] = {}
        for key, value in request.POST.dict().items():
            criterion = key.removeprefix("owner-")
            if key.startswith("owner-") and criterion.isdigit() and value.isdigit():
                chosen[int(criterion)] = int(value)
        try:
            changed = province.set_owners(
                round_=round_,
                index_set_id=assessment.index_set_id,
                chosen=chosen,
                by=request.user,
            )
        except province.OwnersRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("%(n)d owner(s) changed.") % {"n": changed})
        return redirect("assessments:owners", round_pk=round_.pk)
    context = {
        "round": round_,
        "assessment": assessment,
        "rows": province.owner_rows(assessment),
        "units": province.owner_choices(),
    }
    return render(request, "assessments/province_owners.html", context)


@require_GET
@login_required
def compile_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The province's criteria by owning department: answered, evidence, points."""
    assessment = province.get_province_for_office(request.user, pk)
    leaves = province.compiled_leaves(assessment)
    context = {
        "assessment": assessment,
        "groups": province.by_owner(leaves),
        "totals": province.area_totals(assessment, leaves),
        "answered": sum(1 for leaf in leaves if leaf.answered),
        "total": len(leaves),
    }
    return render(request, "assessments/province_compile.html", context)


@require_GET
@login_required
@limits.download
def report_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """Download the province's self-assessment as a workbook."""
    assessment = province.get_province_for_office(request.user, pk)
    response = HttpResponse(province_exports.report_xlsx(assessment), content_type=XLSX)
    name = f"tu-danh-gia-chi-so-cchc-{assessment.round.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
@limits.download
def report_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """Download the province's self-assessment report for the Ministry (DOCX)."""
    assessment = province.get_province_for_office(request.user, pk)
    response = HttpResponse(province_exports.report_docx(assessment), content_type=DOCX)
    name = f"bao-cao-tu-danh-gia-chi-so-cchc-{assessment.round.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


MINISTRY_POINTS_LIMIT = 1000  # far above any criterion's maximum (the service checks it)


def _points(text: str) -> Decimal | None:
    """The Ministry's points as typed (empty clears); NumberInvalid when not a number."""
    if not text.strip():
        return None
    return typed_number(text, limit=MINISTRY_POINTS_LIMIT, decimals=2)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def ministry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enter the Ministry's appraised points of the province's leaves (empty clears)."""
    assessment = province.get_province_for_office(request.user, pk)
    if request.method == "POST" and "file" in request.FILES:
        try:
            changed = province.import_ministry_points(
                assessment=assessment,
                # django-stubs type FILES[key] as a file or a list; it is the (last) file
                data=request.FILES["file"].read(),  # type: ignore[union-attr]
                by=request.user,
            )
        except province.OwnersRefused as refused:
            messages.error(request, str(refused))
            return redirect("assessments:ministry", pk=assessment.pk)
        messages.success(request, _("%(n)d point(s) saved.") % {"n": changed})
        return redirect("assessments:province", pk=assessment.pk)
    if request.method == "POST":
        points: dict[int, Decimal | None] = {}
        problems = []
        for key, value in request.POST.dict().items():
            if not key.startswith("points-"):
                continue
            if not key.removeprefix("points-").isdigit():
                continue
            try:
                points[int(key.removeprefix("points-"))] = _points(value)
            except NumberInvalid as invalid:
                problems.append(str(invalid))
        if not problems:
            try:
                changed = province.set_ministry_points(
                    assessment=assessment, points=points, by=request.user
                )
            except province.OwnersRefused as refused:
                problems.append(str(refused))
            else:
                messages.success(request, _("%(n)d point(s) saved.") % {"n": changed})
                return redirect("assessments:province", pk=assessment.pk)
        messages.error(request, " ".join(problems))
        return redirect("assessments:ministry", pk=assessment.pk)
    context = {"assessment": assessment, "leaves": province.compiled_leaves(assessment)}
    return render(request, "assessments/province_ministry.html", context)
