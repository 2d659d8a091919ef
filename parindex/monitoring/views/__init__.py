"""Monitoring pages: the office's plans, reports and inspections; each unit's own work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the page the form came from (`next`, if it is ours), else to `default`."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or default)
