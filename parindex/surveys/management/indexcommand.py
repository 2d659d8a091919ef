"""What `parindex survey sipas FILE` and `parindex survey papi FILE` share (`--dry-run`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.surveys.services import indices


class IndexImportCommand(BaseCommand):
    """Import a SIPAS or PAPI file; the years in it replace those years, all or nothing."""

    kind = ""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            result = indices.import_file(
                self.kind, data, path.name, by=None, dry_run=options["dry_run"]
            )
        except indices.IndexImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError("The file was refused; nothing was imported.") from None
        note = "dry run, nothing saved: " if result.dry_run else ""
        self.stdout.write(f"{note}{result.rows} rows for {', '.join(map(str, result.years))}")
