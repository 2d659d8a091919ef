"""The office's pages for the API: tokens (create, show once, revoke) and webhooks (endpoints,
their delivery log, replay)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.http import AuthedRequest
from parindex.api import queries, services
from parindex.api.forms import EndpointForm, TokenForm, token_units
from parindex.api.models import Delivery
from parindex.core.paging import paginate
from parindex.units import views as units_views


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    """The API tokens and a form for a new one; a new token's secret is shown once, here."""
    queries.require_manager(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_token(by=request.user, **form.cleaned_data)
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            # Rendered, not redirected: the secret is never stored, so it can only be shown now.
            response = render(request, "api/token_created.html", {"created": created})
            response["Cache-Control"] = "no-store"
            return response
    context = {"tokens": queries.tokens(), "form": form}
    return render(request, "api/tokens.html", context)


@require_GET
@login_required
def unit_options(request: AuthedRequest) -> HttpResponse:
    """The token form's picker of the units a token may write for."""
    queries.require_manager(request.user)
    return units_views.picker_options(request, token_units())


@require_GET
@login_required
def token_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One token: its scopes, units, expiry and its last calls."""
    token = queries.get_token_for_manager(request.user, pk)
    context = {"token": token, "calls": queries.recent_calls(token)}
    return render(request, "api/token_detail.html", context)


@require_POST
@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stop a token at once."""
    token = queries.get_token_for_manager(request.user, pk)
    try:
        services.revoke_token(by=request.user, token=token, reason=request.POST.get("reason", ""))
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The token was revoked."))
    return redirect("api:tokens")


@require_http_methods(["GET", "POST"])
@login_required
def webhooks(request: AuthedRequest) -> HttpResponse:
    """The webhook endpoints and a form for a new one."""
    queries.require_manager(request.user)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.create_endpoint(by=request.user, **form.cleaned_data)
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The endpoint was added; give its secret to the system."))
            return redirect("api:webhook", pk=endpoint.pk)
    context = {"endpoints": queries.endpoints(), "form": form}
    return render(request, "api/webhooks.html", context)


@require_GET
@login_required
def webhook(request: AuthedRequest, pk: int) -> HttpResponse:
    """An endpoint, its secret and its delivery log (filter by status)."""
    endpoint = queries.get_endpoint_for_manager(request.user, pk)
    status = request.GET.get("status", "")
    context = {
        "endpoint": endpoint,
        "status": status,
        "statuses": Delivery.Status.choices,
        **paginate(request, queries.deliveries(endpoint, status)),
    }
    return render(request, "api/webhook.html", context)


@require_POST
@login_required
def webhook_active(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pause or resume an endpoint."""
    endpoint = queries.get_endpoint_for_manager(request.user, pk)
    services.set_endpoint_active(
        by=request.user, endpoint=endpoint, is_active=request.POST.get("active") == "1"
    )
    return redirect("api:webhook", pk=endpoint.pk)


@require_POST
@login_required
def delivery_replay(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a delivery again, in the background: the job's page shows the answer."""
    delivery = queries.get_delivery_for_manager(request.user, pk)
    job = services.replay_delivery(by=request.user, delivery=delivery)
    return redirect("jobs:detail", pk=job.pk)
