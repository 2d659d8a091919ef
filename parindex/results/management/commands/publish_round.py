"""`parindex publish ROUND`: freeze a finalised round's results and print the snapshot's SHA-256
(first line) and its HMAC-SHA256 under the publication key (second line, also in the audit log)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.results import services
from parindex.rounds.models import Round


def round_by_code(code: str) -> Round:
    """The round with this code, or a clear error."""
    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise CommandError(_("No round with code %(code)s.") % {"code": code})
    return round_


class Command(BaseCommand):
    help = (
        "Publish a finalised round: freeze its results and print the snapshot's SHA-256 and its "
        "HMAC-SHA256 under the publication key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("round", help="round code")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = round_by_code(options["round"])
        try:
            snapshot = services.publish_round(by=None, round_=round_)
        except services.ResultsRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(snapshot.sha256)
        self.stdout.write(f"HMAC-SHA256: {services.seal_of(snapshot)}")
