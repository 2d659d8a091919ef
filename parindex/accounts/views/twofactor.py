"""One's own two-factor authentication: enrol a phone, renew recovery codes, turn it off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from parindex.accounts import limits, twofactor
from parindex.accounts.forms import CodeForm
from parindex.accounts.http import AuthedRequest
from parindex.accounts.views.auth import check_code

# What an enrolled person may do by giving a code, and what they are told once it is done.
DONE = {
    "codes": "",
    "phone": gettext_lazy("The phone was removed: add the new one now."),
    "disable": gettext_lazy("Two-factor authentication is turned off."),
}


def _enrol(request: AuthedRequest, form: CodeForm) -> HttpResponse:
    """The enrolment page: a new secret as QR code and text, confirmed with a code."""
    secret = request.session.get(twofactor.SECRET_KEY) or twofactor.new_secret()
    request.session[twofactor.SECRET_KEY] = secret
    if form.is_valid():
        key = f"user:{request.user.pk}"
        if (seconds := limits.retry_after("two_factor", key)) is not None:
            return limits.too_many_requests(request, seconds)
        try:
            device, codes = twofactor.enable_two_factor(
                user=request.user, secret=secret, code=form.cleaned_data["code"]
            )
        except twofactor.TwoFactorRefused as refused:
            limits.hit("two_factor", key)
            form.add_error("code", str(refused))
        else:
            otp_login(request, device)
            request.session.pop(twofactor.SECRET_KEY, None)
            request.session[twofactor.CODES_KEY] = codes
            return redirect("accounts:two_factor_codes")
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(request.user, secret),
        "secret_text": twofactor.secret_text(secret),
        "required": twofactor.is_required(request.user),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Enrol a phone; once enrolled, renew the recovery codes, change phone or turn it off."""
    form = CodeForm(request.POST or None)
    device = twofactor.phone_device(request.user)
    if device is None:
        return _enrol(request, form)
    if not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:login_code")
    action = request.POST.get("action", "")
    if form.is_valid() and action in DONE and check_code(request.user, form):
        if action == "codes":
            request.session[twofactor.CODES_KEY] = twofactor.renew_recovery_codes(user=request.user)
            return redirect("accounts:two_factor_codes")
        try:
            twofactor.disable_two_factor(user=request.user, to_change_phone=action == "phone")
        except twofactor.TwoFactorRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, str(DONE[action]))
        return redirect("accounts:two_factor")
    context = {
        "form": form,
        "device": device,
        "codes_left": twofactor.recovery_codes_left(request.user),
        "required": twofactor.is_required(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


@require_GET
@login_required
def two_factor_codes(request: AuthedRequest) -> HttpResponse:
    """The new recovery codes, shown this once."""
    codes = request.session.pop(twofactor.CODES_KEY, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. Renew them to get new ones."))
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})
