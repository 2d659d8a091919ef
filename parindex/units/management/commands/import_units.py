"""`parindex units import FILE [--dry-run]`: create and update units from a CSV or XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.units import services


class Command(BaseCommand):
    help = "Import units from CSV or XLSX (code,name,unit_type,parent_code,peer_group)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        try:
            rows = services.read_rows(path.name, raw)
            plan = services.import_units(by=None, rows=rows, dry_run=options["dry_run"])
        except services.UnitError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(_("Nothing was imported.")) from error
        counts = {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
        }
        if options["dry_run"]:
            summary = _(
                "Check only, nothing saved: %(created)d units would be created, %(updated)d "
                "updated, %(unchanged)d unchanged."
            )
        else:
            summary = _("%(created)d units created, %(updated)d updated, %(unchanged)d unchanged.")
        summary %= counts
        if plan.new_peer_groups:
            summary += " " + _("New peer groups: %(groups)s.") % {
                "groups": ", ".join(plan.new_peer_groups)
            }
        self.stdout.write(summary)
