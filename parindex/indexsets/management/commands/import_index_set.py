"""`parindex indexset import FILE [--draft] [--dry-run]`: load a YAML or XLSX index set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.indexsets import files, services
from parindex.indexsets.problems import IndexSetRefused


class Command(BaseCommand):
    help = (
        "Import an index set from a YAML or XLSX file and print its code. The set is published "
        "unless --draft; a code that exists gets a new version (or its draft is replaced); a file "
        "equal to the latest published version changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the .yaml/.yml or .xlsx file")
        parser.add_argument("--draft", action="store_true", help="keep it as a draft")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            source = files.read_index_set_file(data, path.name)
            result = services.import_index_set(
                source=source, by=None, draft=options["draft"], dry_run=options["dry_run"]
            )
        except IndexSetRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(refused.problems)} problem(s); nothing was imported."
            ) from None
        index_set = result.index_set
        self.stdout.write(index_set.code)
        note = "dry run, nothing saved: " if result.dry_run else ""
        self.stderr.write(
            f"{note}{result.action} {index_set.code} v{index_set.version} ({index_set.status})"
        )
