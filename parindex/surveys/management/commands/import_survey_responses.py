"""`parindex survey responses CODE FILE [--round ROUND] [--dry-run]`: long-form responses."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.surveys import queries
from parindex.surveys.responsefile import response_rows
from parindex.surveys.services import responses


class Command(BaseCommand):
    help = (
        "Import survey responses (CSV or XLSX: response_id,group,unit_code,question_code,answer) "
        "into the campaign of a questionnaire (its latest round unless --round). Any problem "
        "refuses the whole file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="questionnaire code")
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--round", default="", help="round code (default: the latest)")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            campaign = queries.campaign_by_code(options["code"], options["round"])
        except queries.CampaignNotFound as missing:
            raise CommandError(str(missing)) from None
        started = time.perf_counter()
        try:
            stored = responses.import_responses(
                campaign=campaign,
                rows=response_rows(data, path.name),
                by=None,
                dry_run=options["dry_run"],
            )
        except responses.ResponsesRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError("The file was refused; nothing was imported.") from None
        seconds = time.perf_counter() - started
        note = "dry run, nothing saved: " if stored.dry_run else ""
        self.stdout.write(
            f"{note}{stored.responses} responses, {stored.answers} answers "
            f"({stored.duplicates} duplicates, {stored.straightlined} straight-lined flagged) "
            f"in {seconds:.1f} s"
        )
