"""User management forms: roles are chosen as unscoped roles plus the units for unit roles."""

from __future__ import annotations

import math
from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parindex.accounts import lockout
from parindex.accounts.models import Role, User, scope_units
from parindex.accounts.services import RoleSpec
from parindex.core.pickers import CodesField

UNSCOPED_ROLES = [Role.ADMIN, Role.PAR_OFFICER, Role.APPRAISER, Role.COUNCIL, Role.VIEWER]


def wait_text(seconds: float) -> str:
    """A wait in words: "45 giây", "5 phút"."""
    if seconds < 60:
        count = max(1, math.ceil(seconds))
        return ngettext("%(n)d second", "%(n)d seconds", count) % {"n": count}
    count = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", count) % {"n": count}


class LoginForm(auth_forms.AuthenticationForm):
    """The login form; django-axes refuses attempts after too many failures (see `lockout`)."""

    username = auth_forms.UsernameField(
        label=_("Username"), widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Both are case-sensitive; after repeated failures, "
            "logging in is paused for a while."
        ),
        "inactive": _("This account has been deactivated."),
        "locked": _("Too many failed logins. Try again after %(time)s (in about %(wait)s)."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if not getattr(self.request, "axes_locked_out", False):
                raise
        # Refused by django-axes: the password was not checked, or this failure locked it.
        username = self.cleaned_data.get("username") or ""
        assert self.request is not None  # the login view always passes the request
        until = lockout.locked_until(self.request, username) or timezone.now()
        local = timezone.localtime(until)
        raise forms.ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={
                "time": formats.time_format(local, "H:i:s"),
                "wait": wait_text((until - timezone.now()).total_seconds()),
            },
        )


class CodeForm(forms.Form):
    """A 6-digit code from the phone app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
        help_text=_("The 6 digits shown by the authenticator app, or one of your recovery codes."),
    )


def units_field(label: Any) -> CodesField:
    """Units a role is scoped to, typed by code with suggestions (decision 43): a national
    registry has thousands, too many to list in the page."""
    return CodesField(
        label=label,
        required=False,
        records=scope_units(),
        options_url=reverse_lazy("accounts:unit_options"),
        unknown=_("No unit with the code %(codes)s exists; pick from the list."),
        help_text=_(
            "One unit a line: type a code or part of a name in the box below, then pick it."
        ),
    )


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=[(role.value, role.label) for role in UNSCOPED_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    editor_units = units_field(_("Unit editor of"))
    head_units = units_field(_("Unit head of"))

    def __init__(
        self,
        *args: Any,
        instance: User | None = None,
        can_grant_admin: bool,
        read_only: bool = False,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            held = list(instance.role_assignments.values_list("role", "unit_id"))
            kwargs["initial"] = {
                "username": instance.username,
                "full_name": instance.full_name,
                "email": instance.email,
                "is_active": instance.is_active,
                "roles": [role for role, unit in held if unit is None],
                "editor_units": [unit for role, unit in held if role == Role.UNIT_EDITOR],
                "head_units": [unit for role, unit in held if role == Role.UNIT_HEAD],
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.can_grant_admin = can_grant_admin
        if instance is not None:
            self.fields["username"].disabled = True
        if not can_grant_admin:  # the administrator role is not offered to others
            cast(forms.ChoiceField, self.fields["roles"]).choices = [
                (role.value, role.label) for role in UNSCOPED_ROLES if role != Role.ADMIN
            ]
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        User.username_validator(username)
        return username

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if Role.ADMIN in roles and not self.can_grant_admin:
            raise forms.ValidationError(
                _("Only an administrator may grant the administrator role.")
            )
        return roles

    def role_specs(self) -> set[RoleSpec]:
        data = self.cleaned_data
        specs: set[RoleSpec] = {(role, None) for role in data["roles"]}
        specs |= {(Role.UNIT_EDITOR.value, unit.pk) for unit in data["editor_units"]}
        specs |= {(Role.UNIT_HEAD.value, unit.pk) for unit in data["head_units"]}
        return specs


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: username,full_name,email,role,unit_code (UTF-8). One row per role."),
    )
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload.read()  # read, checked and refused by the one table module
