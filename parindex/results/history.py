"""Results' audited actions in words (publication, public pages).

Registered with core's history (`core.history.register`) from `AppConfig.ready()`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parindex.core.history import register


def register_texts() -> None:
    """Tell the history how to word this app's actions."""
    register(
        {
            "results.published": _("published the results of %(object)s"),
            "results.public_opened": _("opened the public page of %(object)s"),
            "results.public_closed": _("closed the public page of %(object)s"),
        },
        fields={
            "engine_version": _("engine version"),
            "hmac": _("HMAC code"),
        },
    )
