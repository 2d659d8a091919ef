"""Permission matrix entries for accounts' URLs."""

from __future__ import annotations

from parindex.accounts.tests.factories import UserFactory
from parindex.core.tests.matrix import OFFICE, PUBLIC, SIGNED_IN, Route

ADMIN = frozenset({"admin"})

SIGNED_IN_REDIRECTED = {persona: 302 for persona in SIGNED_IN}


def setup(world):
    world.managed_user = UserFactory(username="managed")


ROUTES = [
    # Logged-in users are sent on from the login page.
    Route("accounts:login", PUBLIC, statuses={**SIGNED_IN_REDIRECTED, "anonymous": 200}),
    # With no password step pending, the code step sends everyone back to the login page.
    Route("accounts:login_code", PUBLIC, ok=302),
    Route("accounts:logout", PUBLIC, method="post", ok=302),
    Route("accounts:password_change", SIGNED_IN),
    Route("accounts:password_change_done", SIGNED_IN),
    Route("accounts:password_reset", PUBLIC),
    Route("accounts:password_reset_done", PUBLIC),
    Route(
        "accounts:password_reset_confirm",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"},
    ),
    Route("accounts:password_reset_complete", PUBLIC),
    Route("accounts:two_factor", SIGNED_IN),
    # The recovery codes are shown once, right after they are made; otherwise back to the page.
    Route("accounts:two_factor_codes", SIGNED_IN, ok=302),
    Route("accounts:user_list", OFFICE),
    Route("accounts:user_create", OFFICE),
    Route("accounts:user_import", OFFICE),
    Route("accounts:unit_options", OFFICE),
    Route("accounts:user_edit", OFFICE, kwargs=lambda w: {"pk": w.managed_user.pk}),
    Route(
        "accounts:user_send_reset",
        OFFICE,
        kwargs=lambda w: {"pk": w.managed_user.pk},
        method="post",
        ok=302,
    ),
    Route(
        "accounts:user_reset_two_factor",
        ADMIN,
        kwargs=lambda w: {"pk": w.managed_user.pk},
        method="post",
        ok=302,
    ),
]
