"""The in-app inbox: transition messages and deadline reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts import permissions
from parindex.accounts.http import AuthedRequest
from parindex.assessments import notifications, queries
from parindex.assessments.models import Assessment
from parindex.core.paging import paginate


@require_GET
@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """The user's messages, newest first (unread ones highlighted)."""
    unread_only = request.GET.get("unread") == "1"
    messages = queries.inbox(request.user, unread_only=unread_only)
    context = {"unread_only": unread_only, **paginate(request, messages)}
    return render(request, "assessments/inbox.html", context)


@require_POST
@login_required
def mark_read(request: AuthedRequest) -> HttpResponse:
    """Mark one message (or all) read; opening a message's link also goes through here."""
    ids = [int(pk) for pk in request.POST.getlist("id") if pk.isdigit()] or None
    notifications.mark_read(request.user, ids)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("assessments:inbox")


@require_POST
@login_required
def remind(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office reminds a late unit of its self-assessment (inbox and e-mail; audited)."""
    if not permissions.has(request.user, "manage_rounds"):
        raise PermissionDenied
    assessment = get_object_or_404(Assessment.objects.select_related("round", "unit"), pk=pk)
    if assessment.status != Assessment.Status.DRAFT:
        messages.error(request, _("Only a unit that has not submitted can be reminded."))
        return redirect("core:home")
    sent = notifications.remind_unit(assessment=assessment, by=request.user)
    messages.success(
        request,
        _("Reminder sent to %(n)d officer(s) of %(unit)s.") % {"n": sent, "unit": assessment.unit},
    )
    return redirect("core:home")
