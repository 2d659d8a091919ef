"""User management for the PAR office; an administrator's account only an administrator changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import limits, permissions, queries, services, twofactor
from parindex.accounts.forms import UserForm, UserImportForm
from parindex.accounts.http import AuthedRequest
from parindex.accounts.models import Role, scope_units
from parindex.core import pickers
from parindex.core.paging import paginate


def _base_url(request: AuthedRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@require_GET
@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    """Accounts with their roles, searchable and sortable; filters stay in the URL."""
    params = {key: request.GET.get(key, "") for key in ("search", "role", "unit", "active")}
    sort = request.GET.get("sort", "username")
    users = queries.users_for_manager(request.user, sort=sort, **params)
    context = {"params": params, "sort": sort, "roles": Role.choices, **paginate(request, users)}
    return render(request, "accounts/user_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    """Create an account; without a password the person receives a link to choose one."""
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    form = UserForm(request.POST or None, can_grant_admin=permissions.is_admin(request.user))
    if form.is_valid():
        data = form.cleaned_data
        user = services.create_user(
            by=request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            roles=form.role_specs(),
        )
        if services.send_set_password_email(
            by=request.user, user=user, base_url=_base_url(request)
        ):
            messages.success(
                request, _("Account created; a link to choose a password was e-mailed.")
            )
        else:
            messages.warning(
                request,
                _("Account created without an e-mail: set a password with “Reset password”."),
            )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@require_GET
@login_required
def unit_options(request: AuthedRequest) -> HttpResponse:
    """The account form's picker of the units a role is scoped to."""
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    return pickers.options_response(request, scope_units(), order=("unit_type__order", "code"))


@require_http_methods(["GET", "POST"])
@login_required
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a person's details, roles and scopes, or deactivate the account.

    An administrator's account is shown read-only to anyone who is not an administrator.
    """
    account = queries.get_user_for_manager(request.user, pk)
    can_change = permissions.can_manage_account(request.user, account)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = UserForm(
        request.POST or None,
        instance=account,
        can_grant_admin=permissions.is_admin(request.user),
        read_only=not can_change,
    )
    if form.is_valid():
        data = form.cleaned_data
        if account == request.user and not data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        else:
            try:
                services.update_user(
                    by=request.user,
                    user=account,
                    full_name=data["full_name"],
                    email=data["email"],
                    is_active=data["is_active"],
                    roles=form.role_specs(),
                )
            except services.AccountRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("accounts:user_list")
    context = {
        "form": form,
        "account": account,
        "can_change": can_change,
        "has_two_factor": twofactor.has_two_factor(account),
    }
    return render(request, "accounts/user_form.html", context)


@require_POST
@login_required
def user_send_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """E-mail a person a link to choose a new password."""
    account = queries.get_user_for_change(request.user, pk)
    if services.send_set_password_email(by=request.user, user=account, base_url=_base_url(request)):
        messages.success(
            request,
            _("A link to choose a password was e-mailed to %(email)s.") % {"email": account.email},
        )
    else:
        messages.error(request, _("This account has no e-mail address."))
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@login_required
def user_reset_two_factor(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a person's phone and recovery codes (an administrator, for a lost phone)."""
    account = queries.get_user_for_manager(request.user, pk)
    if not permissions.can_reset_two_factor(request.user, account):
        raise PermissionDenied
    twofactor.reset_two_factor(by=request.user, user=account)
    messages.success(
        request,
        _("Two-factor authentication of %(user)s was reset; they will set it up again.")
        % {"user": account},
    )
    return redirect("accounts:user_edit", pk=account.pk)


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def user_import(request: AuthedRequest) -> HttpResponse:
    """Import accounts from CSV, all or nothing; every row's problem is listed."""
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    form = UserImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    report = None
    if form.is_valid():
        try:
            report = services.import_users(
                by=request.user,
                text=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except services.ImportFailed as failure:
            problems = failure.problems
        else:
            if not form.cleaned_data["dry_run"]:
                messages.success(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated.")
                    % {"created": len(report.created), "updated": len(report.updated)},
                )
                return redirect("accounts:user_list")
    context = {"form": form, "problems": problems, "report": report}
    return render(request, "accounts/user_import.html", context)
