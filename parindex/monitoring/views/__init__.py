"""Monitoring pages: the office's plans, reports and inspections; each unit's own work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the page the form came from (`next`, if it is ours), else to `default`."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or default)


def act(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    *,
    done: str,
    invalid: str,
) -> bool:
    """Run one office action from a posted form: the service's refusal or the form's problem
    becomes an error message, success a confirmation. Returns whether it was done."""
    from parindex.monitoring.services import Refused

    if not form.is_valid():
        messages.error(request, invalid)
        return False
    try:
        action(form.cleaned_data)
    except Refused as refused:
        messages.error(request, " ".join(refused.problems))
        return False
    messages.success(request, done)
    return True


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    *,
    done: str,
) -> Any:
    """Run a service on a valid form and confirm it; a refusal goes into the form, shown with
    what was typed. Returns the service's result, or None when nothing was done."""
    from parindex.monitoring.services import Refused

    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except Refused as refused:
        for problem in refused.problems:
            form.add_error(None, problem)
        return None
    messages.success(request, done)
    return result
