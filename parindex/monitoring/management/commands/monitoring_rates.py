"""`parindex monitoring rates --year Y [--as-of YYYY-MM-DD] --format csv`: the machine CSV."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.monitoring import rates
from parindex.monitoring.jobs import csv_bytes
from parindex.monitoring.services.imports import parse_date


def _date(text: str) -> dt.date:
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(
            _("“%(text)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"text": text}
        )
    return day


class Command(BaseCommand):
    help = (
        "Print every unit's monitoring counts of a year at a date as CSV: unit_code,tasks_due,"
        "tasks_on_time,tasks_done,reports_due,reports_on_time,findings_due,findings_remedied."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year")
        parser.add_argument("--as-of", type=_date, help="the day counted at (default 31/12)")
        parser.add_argument("--format", choices=["csv"], default="csv", help="csv")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        write_out(
            csv_bytes(rates.rates_table(options["year"], options["as_of"])), options["output"]
        )


def write_out(data: bytes, output: str | None) -> None:
    """Into the file named, else on stdout (the bytes as they are)."""
    if output:
        with open(output, "wb") as target:
            target.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
