"""Log in (password, then a code for those who enrolled), log out, change and reset passwords.

Failed logins are refused by django-axes (`lockout.py`); wrong current passwords, reset
requests and wrong codes are rate-limited (`limits.py`); every step is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from parindex.accounts import limits, services, twofactor
from parindex.accounts.addresses import client_address
from parindex.accounts.forms import CodeForm, LoginForm, wait_text
from parindex.accounts.models import User


class LoginView(auth_views.LoginView):
    """The password step; someone who enrolled a phone goes on to the code step, not logged in."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Single sign-on (parindex/api/oidc.py) offers its button when it is configured.
        context = super().get_context_data(**kwargs)
        if settings.OIDC_ENABLED:
            context["sso_url"] = reverse("oidc_authentication_init")
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context

    def form_valid(self, form: auth_forms.AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if twofactor.has_two_factor(user):
            twofactor.begin_pending_login(self.request, user, user.backend, self.get_success_url())
            return redirect("accounts:login_code")
        return super().form_valid(form)


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()


def _code_step_user(request: HttpRequest) -> tuple[User, str, twofactor.PendingLogin | None] | None:
    """Who owes a code here: a pending login, or a signed-in person not yet verified."""
    if (pending := twofactor.pending_login(request)) is not None:
        return pending.user, pending.next_url, pending
    user = request.user
    # django-otp's middleware gives the user `is_verified()`; the stubs do not know it.
    if user.is_authenticated and not user.is_verified() and twofactor.has_two_factor(user):  # type: ignore[attr-defined]
        return user, request.GET.get("next", ""), None
    return None


def check_code(user: User, form: CodeForm) -> Any:
    """The device that accepts the form's code, else None with the reason on the form."""
    key = f"user:{user.pk}"
    if (seconds := limits.retry_after("two_factor", key)) is not None:
        form.add_error(
            "code",
            _("Too many wrong codes. Try again in about %(wait)s.") % {"wait": wait_text(seconds)},
        )
        return None
    device = twofactor.verify_code(user=user, code=form.cleaned_data["code"])
    if device is None:
        limits.hit("two_factor", key)
        form.add_error("code", _("The code is not right, or it was already used."))
    return device


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the phone app, or a recovery code."""
    owed = _code_step_user(request)
    if owed is None:
        messages.info(request, _("Please log in again: the time to type the code ran out."))
        return redirect("accounts:login")
    user, next_url, pending = owed
    form = CodeForm(request.POST or None)
    if form.is_valid() and (device := check_code(user, form)) is not None:
        if pending is not None:
            # django-otp marks the session as verified on login
            user.otp_device = device  # type: ignore[attr-defined]
            auth_login(request, user, backend=pending.backend)
            twofactor.end_pending_login(request)
        else:
            otp_login(request, device)
        if isinstance(device, StaticDevice):
            messages.warning(
                request,
                _("You used a recovery code; %(n)d left. Renew them on your two-factor page.")
                % {"n": twofactor.recovery_codes_left(user)},
            )
        return redirect(twofactor.safe_next(request, next_url))
    return render(request, "accounts/login_code.html", {"form": form, "person": user})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; wrong current passwords are limited per person, then refused."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = limits.retry_after("password_change", limits.by_user(request))
        if seconds is not None:
            return limits.too_many_requests(request, seconds)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error("old_password"):
            limits.hit("password_change", limits.by_user(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.record_password_changed(user=form.user, address=client_address(self.request))
        return response


def _typed_email(request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


@method_decorator(
    limits.rate_limited("password_reset_address", key=limits.by_address, methods=("POST",)),
    name="post",
)
@method_decorator(
    limits.rate_limited(
        "password_reset_email", key=lambda r: f"email:{_typed_email(r)}", methods=("POST",)
    ),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail; limited per address and per e-mail typed, and audited."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        email = form.cleaned_data["email"]
        services.record_password_reset_requested(
            email=email, users=list(form.get_users(email)), address=client_address(self.request)
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link (audited)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.record_password_reset(user=form.user, address=client_address(self.request))
        return response


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
