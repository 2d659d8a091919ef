"""Plans from files and from lost points: importing a plan's tasks, drafting a remediation
plan, and the early warning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.monitoring import forms, queries, services, warning
from parindex.monitoring.models import Plan
from parindex.monitoring.views import submit
from parindex.rounds.models import Round


@require_http_methods(["GET", "POST"])
@login_required
def remediation(request: AuthedRequest) -> HttpResponse:
    """Draft a remediation plan from a published round's lost points (and the province's)."""
    queries.require(request.user, "manage_monitoring")
    form = forms.RemediationForm(request.POST or None)
    plan = submit(
        request,
        form,
        lambda data: services.draft_remediation_plan(
            by=request.user,
            round_=data["round"],
            code=data["code"],
            year=data["year"],
            title=data["title"],
            deadline=data["deadline"],
            include_province=data["include_province"],
            limit=data["limit"],
        ),
        done=_("Remediation plan drafted; edit its tasks, then issue it."),
    )
    if plan is not None:
        return redirect("monitoring:plan_detail", pk=plan.pk)
    return render(request, "monitoring/remediation.html", {"form": form})


@require_GET
@login_required
def early_warning(request: AuthedRequest) -> HttpResponse:
    """Each unit's projected index (computed criteria today, last year's other points) and the
    units projected to fall a band."""
    queries.require(request.user, "view_plans")
    rounds = list(Round.objects.exclude(status=Round.Status.PUBLISHED).order_by("-year", "code"))
    code = request.GET.get("round", "")
    round_ = next((row for row in rounds if row.code == code), rounds[0] if rounds else None)
    only_falling = request.GET.get("falling") == "1"
    rows = warning.projections(round_, timezone.localdate()) if round_ else []
    falling = sum(1 for row in rows if row.falls)
    if only_falling:
        rows = [row for row in rows if row.falls]
    context = {
        "rounds": rounds,
        "round": round_,
        "previous": warning.previous_round(round_) if round_ else None,
        "falling": falling,
        "only_falling": only_falling,
        **paginate(request, rows),
    }
    return render(request, "monitoring/warning.html", context)


IMPORT_SALT = "monitoring.plan-import"


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def plan_import(request: AuthedRequest) -> HttpResponse:
    """Import a plan's tasks from CSV or XLSX: check and preview first, then apply all or
    nothing (the checked rows travel signed in the confirmation form)."""
    queries.require(request.user, "manage_monitoring")
    initial = {"plan": request.GET.get("plan", ""), "year": timezone.localdate().year}
    known = Plan.objects.filter(code=initial["plan"]).first()
    if known is not None:
        initial.update(year=known.year, title=known.title)
    form = forms.PlanImportForm(request.POST or None, request.FILES or None, initial=initial)
    problems: list[str] = []
    result = payload = None
    if request.POST.get("payload"):
        try:
            data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
            result = services.import_plan(by=request.user, **data)
        except signing.BadSignature:
            problems = [_("The preview has expired: choose the file again.")]
        except services.Refused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Imported: %(created)d task(s) added, %(updated)d changed.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect(
                "monitoring:plan_detail", pk=Plan.objects.get(code=data["plan_code"]).pk
            )
        form = forms.PlanImportForm(initial=initial)
    elif form.is_valid():
        cleaned = form.cleaned_data
        filename, raw = cleaned["file"]
        data = {
            "plan_code": cleaned["plan"].strip(),
            "year": cleaned["year"],
            "title": cleaned["title"],
        }
        try:
            rows = services.read_rows(raw, filename, services.TASKS_HEADER)
            result = services.import_plan(by=request.user, rows=rows, dry_run=True, **data)
        except services.Refused as refused:
            problems = refused.problems
        else:
            payload = signing.dumps({**data, "rows": rows}, salt=IMPORT_SALT, compress=True)
    context = {
        "form": form,
        "problems": problems,
        "result": result,
        "payload": payload,
        "header": ",".join(services.TASKS_HEADER),
    }
    return render(request, "monitoring/plan_import.html", context)
