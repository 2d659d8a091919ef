"""Home dashboards, the audit log, the health check and the Vietnamese error pages."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.core import guide, health, history, queries, registry, unavailable
from parindex.core.forms import AuditFilterForm
from parindex.core.paging import paginate


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Health probe for the proxy and monitoring: 200 `ok`, or 503 naming the failed checks.

    Needs no login and tells nothing about the data: only whether the database answers and
    MEDIA_ROOT (the evidence files) takes a write. Also the latency floor `make bench` measures.
    """
    failed = [name for name, check in health.CHECKS.items() if not check()]
    if failed:
        response = HttpResponse(
            "failed: " + ", ".join(failed), content_type="text/plain", status=503
        )
    else:
        response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's dashboard: pending work with deadlines, or how to start."""
    panels = queries.dashboard_panels(request.user)
    return render(request, "core/home.html", {"panels": panels})


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The header search: units, criteria and documents the user may open; the first few of
    each kind, or every hit of one kind page by page (`kind=`)."""
    text = request.GET.get("q", "")[:100]
    context: dict[str, object] = {"q": text, "too_short": 0 < len(text.strip()) < 2}
    if kind := request.GET.get("kind"):
        source = queries.search_source(kind)
        if source is None:
            raise Http404
        hits = queries.search_kind(request.user, text, source)
        context |= {"kind": source, **paginate(request, hits, queries.SEARCH_PER_PAGE)}
    else:
        context["groups"] = queries.search(request.user, text)
    return render(request, "core/search.html", context)


@require_GET
@login_required
def user_guide(request: HttpRequest) -> HttpResponse:
    """The user guide (hướng dẫn sử dụng), one section per role, printable."""
    return render(request, "core/guide.html", {"shots": guide.screenshots()})


@require_GET
@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Browse the audit trail, filtered by object, user, action and dates."""
    if not registry.access().has(request.user, "view_audit", None):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, object_types=queries.audit_object_types())
    entries = queries.audit_entries(form.to_filter())
    context = {"form": form, **paginate(request, entries)}
    context["lines"] = history.describe(context["page_obj"].object_list)
    return render(request, "core/audit.html", context)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the failure is a busy database or a full disk."""
    # Django calls this while handling the exception, which sys.exc_info() still holds (a
    # failure outside any view, such as saving the session, never reaches the middleware).
    if unavailable_response := unavailable.response_for(request, sys.exc_info()[1]):
        return unavailable_response
    # No context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
