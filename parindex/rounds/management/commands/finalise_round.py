"""`parindex round finalise ROUND --reason TEXT --by USERNAME`: close a round whose scores were
imported (a past year migrated from spreadsheets), so that `parindex publish` can freeze it.

Every assessment is marked finalised and approved by the `--by` account, which must be allowed
to manage rounds (the PAR office); the reason goes to the audit log with the account's name.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.models import User
from parindex.core.commands import BaseCommand
from parindex.rounds import services
from parindex.rounds.models import Round


class Command(BaseCommand):
    help = (
        "Finalise a round whose scores were imported: every unit's assessment is marked "
        "finalised and approved, so that the round can be published. Audited with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="the round's code")
        parser.add_argument("--reason", required=True, help="why (e.g. the council's minutes)")
        parser.add_argument(
            "--by",
            required=True,
            metavar="USERNAME",
            help="the PAR office account finalising the round (named in the audit log)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(_("There is no round %(code)s.") % {"code": options["round"]})
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None:
            raise CommandError(_("No active account is named %(u)s.") % {"u": options["by"]})
        if not permissions.can_manage_rounds(by):
            raise CommandError(_("%(u)s may not manage rounds.") % {"u": options["by"]})
        try:
            round_ = services.finalise_imported_round(
                by=by, round_=round_, reason=options["reason"]
            )
        except services.RoundRefused as refused:
            raise CommandError("\n".join(refused.problems)) from refused
        self.stdout.write(
            _("%(code)s is finalised (%(n)d units); publish it with: parindex publish %(code)s")
            % {"code": round_.code, "n": round_.assessments.count()}
        )
