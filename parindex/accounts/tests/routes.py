"""Permission matrix entries for accounts' URLs."""

from __future__ import annotations

from parindex.accounts.tests.factories import UserFactory
from parindex.core.tests.matrix import OFFICE, PUBLIC, SIGNED_IN, Route

SIGNED_IN_REDIRECTED = {persona: 302 for persona in SIGNED_IN}


def setup(world):
    world.managed_user = UserFactory(username="managed")


ROUTES = [
    # Logged-in users are sent on from the login page.
    Route("accounts:login", PUBLIC, statuses={**SIGNED_IN_REDIRECTED, "anonymous": 200}),
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
    Route("accounts:user_list", OFFICE),
    Route("accounts:user_create", OFFICE),
    Route("accounts:user_import", OFFICE),
    Route("accounts:user_edit", OFFICE, kwargs=lambda w: {"pk": w.managed_user.pk}),
    Route(
        "accounts:user_send_reset",
        OFFICE,
        kwargs=lambda w: {"pk": w.managed_user.pk},
        method="post",
        ok=302,
    ),
]
