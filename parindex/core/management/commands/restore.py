"""`parindex restore DIR [--force]`: check a backup, then replace everything with it at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core import backup
from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = (
        "Restore a backup made by `parindex backup`: checksums and migrations are checked "
        "first; a database in use is replaced only with --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="the backup's folder")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and media that are in use"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup.restore_backup(Path(options["dir"]), force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Restored the backup of %(created)s (%(engine)s, manifest %(sha)s): %(rows)s rows.")
            % {
                "created": outcome.manifest.created_at,
                "engine": outcome.manifest.database_engine,
                "sha": outcome.manifest_sha256,
                "rows": sum(outcome.manifest.counts.values()),
            }
        )
