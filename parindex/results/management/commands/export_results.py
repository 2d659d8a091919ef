"""`parindex results ROUND [--unit-type T] --format csv|xlsx|json [-o FILE]`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from parindex.results import documents
from parindex.results.management.commands.publish_round import round_by_code


class Command(BaseCommand):
    help = "Write a round's results as CSV (machine format), XLSX or JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("round", help="round code")
        parser.add_argument("--unit-type", default="", help="unit type code (e.g. SO, XA)")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "json"])
        parser.add_argument("-o", "--output", default="", help="file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = round_by_code(options["round"])
        fmt = options["format"]
        try:
            data, _file_name = documents.render(round_, fmt, options["unit_type"])
        except documents.ChooseUnitType as problem:
            raise CommandError(str(problem)) from None
        if options["output"]:
            with open(options["output"], "wb") as output:
                output.write(data)
        elif fmt == "xlsx":
            raise CommandError(_("XLSX is binary: give a file with -o FILE."))
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
