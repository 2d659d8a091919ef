"""`makemessages` that also reads the gettext aliases of the history modules: `_t` (gettext,
where `_` names something else) and `__` (gettext_lazy), so `make messages` keeps their strings
in the catalogues instead of dropping them as obsolete."""

from __future__ import annotations

from django.core.management.commands import makemessages

from parindex.core.commands import CHECKS, BaseCommand


class Command(makemessages.Command, BaseCommand):
    requires_system_checks = CHECKS
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t", "--keyword=__"]
