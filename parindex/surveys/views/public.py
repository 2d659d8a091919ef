"""The public survey form: opened by a one-time link or QR code, without login (token only).

Mobile-first and accessible: one fieldset per question with its options as large radio
buttons, answers kept as they are chosen (resumable from the same link), Vietnamese. The page
sends its address to no other site (same-origin referrer) and is not cached, so the token
stays out of other sites' logs and shared caches.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts.http import HtmxRequest
from parindex.surveys import forms_public
from parindex.surveys.services import collection


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def form(request: HtmxRequest, token: str) -> HttpResponse:
    """Answer the survey: save progress (htmx or button) or send the form once."""
    invitation = collection.invitation_for(token)
    if invitation is None:
        response = render(request, "surveys/public_invalid.html", status=404)
        return _private(response)
    page = forms_public.form_page(invitation)
    problem = ""
    if request.method == "POST":
        answers = forms_public.answers_from(request.POST, page)
        if request.POST.get("action") == "send":
            try:
                collection.submit_form(token=token, answers=answers)
            except collection.FormRefused as refused:
                problem = "; ".join(refused.problems)
            else:
                return _private(redirect("surveys:form_done"))
        else:
            collection.save_progress(token=token, answers=answers)
            if request.htmx:
                return _private(render(request, "surveys/public_form.html#saved", {}))
        page = forms_public.form_page(invitation, answers)
    context = {"page": page, "problem": problem, "saved": request.method == "POST" and not problem}
    return _private(render(request, "surveys/public_form.html", context))


@require_GET
def form_done(request: HttpRequest) -> HttpResponse:
    """Thanks, once a form is sent (no token in this address)."""
    return _private(render(request, "surveys/public_done.html"))
