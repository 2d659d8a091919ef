"""Lost points turned into work: drafting a remediation plan, and the early warning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parindex.core.http import AuthedRequest
from parindex.core.paging import paginate
from parindex.monitoring import forms, queries, services, warning
from parindex.rounds.models import Round


@require_http_methods(["GET", "POST"])
@login_required
def remediation(request: AuthedRequest) -> HttpResponse:
    """Draft a remediation plan from a published round's lost points (and the province's)."""
    queries.require(request.user, "manage_monitoring")
    form = forms.RemediationForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.draft_remediation_plan(
                by=request.user,
                round_=data["round"],
                code=data["code"],
                year=data["year"],
                title=data["title"],
                deadline=data["deadline"],
                include_province=data["include_province"],
                limit=data["limit"],
            )
        except services.Refused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Remediation plan drafted with %(n)d task(s); edit it, then issue it.")
                % {"n": plan.tasks.count()},
            )
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
