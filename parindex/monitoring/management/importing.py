"""What monitoring's import commands share: read the file with the table module, run the
import (all or nothing, `--dry-run`), print a summary, exit non-zero on any problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.monitoring import services


class ImportCommand(BaseCommand):
    """A monitoring import: subclasses give the header and run the service on the rows."""

    header: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def run(self, rows: services.imports.Rows, options: dict[str, Any]) -> services.ImportResult:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            rows = services.read_rows(path.read_bytes(), path.name, self.header)
            result = self.run(rows, options)
        except services.Refused as refused:
            raise CommandError("\n".join(refused.problems)) from refused
        summary = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if result.dry_run:
            summary += " " + _("(dry run: nothing saved)")
        self.stdout.write(summary)
