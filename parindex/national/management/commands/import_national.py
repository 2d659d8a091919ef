"""`parindex national import FILE`: import the Ministry's national tables (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.core.commands import BaseCommand
from parindex.national import services
from parindex.national.importing import ImportFailed, parse_tables


class Command(BaseCommand):
    help = (
        "Import national PAR Index tables (year,province,index_percent,area_1,…) from CSV or "
        "XLSX; a year already imported is replaced only with --replace."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
        parser.add_argument(
            "--replace", action="store_true", help="confirm replacing years already imported"
        )
        parser.add_argument("--reason", default="", help="why a year is replaced (audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            parsed = parse_tables(path.read_bytes(), source_name=path.name)
            report = services.import_national_tables(
                by=None,
                parsed=parsed,
                replace=options["replace"],
                dry_run=options["dry_run"],
                reason=options["reason"],
            )
        except ImportFailed as failure:
            raise CommandError("\n".join(failure.problems)) from failure
        except services.NeedsConfirmation as confirm:
            raise CommandError(
                _("The national table of %(years)s is already imported: run again with --replace.")
                % {"years": ", ".join(str(year) for year in confirm.years)}
            ) from confirm
        for year in sorted(report.created + report.replaced):
            values = {"year": year, "count": len(parsed.years[year])}
            if year in report.replaced:
                self.stdout.write(_("%(year)d: %(count)d provinces, replacing the table") % values)
            else:
                self.stdout.write(_("%(year)d: %(count)d provinces") % values)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
