"""`parindex monitoring computed ROUND --format csv`: every unit's computed criteria of a round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.monitoring import computed
from parindex.monitoring.jobs import csv_bytes
from parindex.monitoring.management.commands.monitoring_rates import write_out
from parindex.rounds.models import Round


class Command(BaseCommand):
    help = (
        "Print every unit's value on each computed criterion of a round, at the round's as-of, "
        "as CSV: unit_code,criterion_code,input,numerator,denominator,as_of."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="the round's code")
        parser.add_argument("--format", choices=["csv"], default="csv", help="csv")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(_("No round has the code %(code)s.") % {"code": options["round"]})
        write_out(csv_bytes(computed.computed_table(round_)), options["output"])
