"""`parindex results ROUND [--unit-type T] --format csv|xlsx|json [-o FILE] [--unit-sheets]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.results import documents, queries, workbook
from parindex.results.management.commands.publish_round import round_by_code


class Command(BaseCommand):
    help = "Write a round's results as CSV (machine format), XLSX or JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("round", help="round code")
        parser.add_argument("--unit-type", default="", help="unit type code (e.g. SO, XA)")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "json"])
        parser.add_argument("-o", "--output", default="", help="file (default: standard output)")
        parser.add_argument(
            "--unit-sheets",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="XLSX: a detailed sheet per unit (default: only up to 200 units)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:  # refused before anything is built
            raise CommandError(_("XLSX is binary: give a file with -o FILE."))
        round_ = round_by_code(options["round"])
        try:
            if fmt == "xlsx":
                self._write_xlsx(round_, options)
                return
            data, _file_name = documents.render(round_, fmt, options["unit_type"])
        except documents.ChooseUnitType as problem:
            raise CommandError(str(problem)) from None
        if options["output"]:
            with open(options["output"], "wb") as output:
                output.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

    def _write_xlsx(self, round_: Any, options: dict[str, Any]) -> None:
        """Stream the workbook straight into the file (never held whole in memory)."""
        results = queries.round_results(round_)
        type_code = options["unit_type"]
        if type_code and type_code not in results.types:
            raise documents.ChooseUnitType(
                _("The round has no unit type %(code)s.") % {"code": type_code}
            )
        with open(options["output"], "wb") as output:
            workbook.write_results_xlsx(
                results, output, type_code, unit_sheets=options["unit_sheets"]
            )
