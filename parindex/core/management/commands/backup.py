"""`parindex backup DIR`: database, evidence files and keys into a new folder, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core import backup
from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = "Back up the database, the evidence files and the keys into DIR (new or empty)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="folder to create (or an empty one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup.make_backup(Path(options["dir"]))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(outcome.manifest.counts.values())
        self.stderr.write(
            _("Backed up %(rows)s rows of %(tables)s tables and %(files)s files into %(dir)s.")
            % {
                "rows": rows,
                "tables": len(outcome.manifest.counts),
                "files": len(outcome.manifest.files),
                "dir": outcome.folder,
            }
        )
        self.stdout.write(outcome.manifest_sha256)
