"""Accounts' audited actions in words (logins, accounts, two-step verification).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "auth.login": _("logged in"),
            "auth.login_failed": _("failed to log in as %(object)s"),
            "auth.login_refused": _("was refused logging in as %(object)s (locked)"),
            "auth.locked_out": _("locked the login %(object)s after repeated failures"),
            "auth.password_changed": _("changed the password of %(object)s"),
            "auth.password_reset": _("reset the password of %(object)s"),
            "auth.password_reset_requested": _("asked to reset the password of %(object)s"),
            "auth.two_factor_failed": _("entered a wrong verification code for %(object)s"),
            # Recorded by the API app's single sign-on (`api/oidc.py`).
            "auth.sso_login": _("logged in through single sign-on"),
            "auth.sso_refused": _("refused single sign-on for %(object)s"),
            "document.downloaded": _("downloaded %(object)s"),
            "user.created": _("created the account %(object)s"),
            "user.updated": _("changed the account %(object)s"),
            "user.deactivated": _("deactivated the account %(object)s"),
            "user.reactivated": _("reactivated the account %(object)s"),
            "user.password_link_sent": _("sent a password link to %(object)s"),
            "user.recovery_code_used": _("used a recovery code of %(object)s"),
            "user.recovery_codes_renewed": _("renewed the recovery codes of %(object)s"),
            "user.two_factor_enabled": _("turned on two-step verification for %(object)s"),
            "user.two_factor_disabled": _("turned off two-step verification for %(object)s"),
            "user.two_factor_phone_removed": _("removed the verification phone of %(object)s"),
            "user.two_factor_reset": _("reset two-step verification for %(object)s"),
        },
        fields={
            "subject": _("single sign-on identity"),
            "roles": _("roles"),
            "sent": _("sent"),
            "two_factor": _("two-factor authentication"),
            "username": _("username"),
        },
    )
