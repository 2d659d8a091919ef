"""`parindex scores import ROUND FILE [--dry-run]`: load scores from CSV or XLSX, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from parindex.assessments import scorefile, services
from parindex.core.commands import BaseCommand
from parindex.rounds.models import Round


class Command(BaseCommand):
    help = (
        "Import scores (unit_code,criterion_code,stage,points,note; stage self, appraised or "
        "survey; points a number or NA) into a round. Any problem refuses the whole file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="the round's code")
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(_("There is no round %(code)s.") % {"code": options["round"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            with path.open("rb") as stream:
                # Checked and written as they are read: a national file never sits in memory.
                rows = scorefile.iter_rows(stream, path.name, limits=scorefile.FILE_LIMITS)
                counts = services.import_scores(
                    round_=round_, rows=rows, by=None, dry_run=options["dry_run"]
                )
        except scorefile.FileUnreadable as unreadable:
            raise CommandError(str(unreadable)) from unreadable
        except services.ImportFailed as failed:
            raise CommandError("\n".join(failed.problems)) from failed
        summary = (
            _("%(self)d self-assessed, %(appraised)d appraised, %(survey)d survey values") % counts
        )
        if options["dry_run"]:
            summary += " " + _("(dry run: nothing saved)")
        self.stdout.write(summary)
