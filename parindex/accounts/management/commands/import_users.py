"""`parindex users import FILE [--dry-run]`: create accounts and add roles from a CSV or XLSX
file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from parindex.accounts import services


class Command(BaseCommand):
    help = "Import users from CSV (username,full_name,email,role,unit_code), all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()  # read, checked and refused by the one table module
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        try:
            report = services.import_users(by=None, text=data, dry_run=options["dry_run"])
        except services.ImportFailed as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(_("Nothing was imported.")) from error
        counts = {"created": len(report.created), "updated": len(report.updated)}
        if options["dry_run"]:
            summary = _(
                "The file is valid: %(created)s accounts would be created and %(updated)s "
                "updated. Nothing was saved."
            )
        else:
            summary = _("Imported: %(created)d created, %(updated)d updated.")
        self.stdout.write(summary % counts)
