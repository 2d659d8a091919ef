"""`parindex verify ROUND`: recompute a published round; non-zero exit on any difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.results import services
from parindex.results.management.commands.publish_round import round_by_code


class Command(BaseCommand):
    help = "Recompute a published round from its stored inputs and compare with the snapshot."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("round", help="round code")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = round_by_code(options["round"])
        try:
            report = services.verify_round(round_=round_)
        except services.ResultsRefused as refused:
            raise CommandError(str(refused)) from None
        for note in report.notes:
            self.stderr.write(note)
        if not report.is_intact:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Snapshot of %(round)s does NOT match: %(n)s difference(s).")
                % {"round": round_.code, "n": len(report.problems)}
            )
        self.stdout.write(
            _("OK %(round)s %(sha)s: recomputed figures match the snapshot.")
            % {"round": round_.code, "sha": report.sha256}
        )
