"""`parindex survey apply CODE ROUND [--dry-run]`: a campaign's survey points into its round."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.surveys import queries
from parindex.surveys.services import apply
from parindex.surveys.services.campaigns import CampaignRefused


class Command(BaseCommand):
    help = (
        "Turn the responses of a questionnaire's campaign in a round into the survey points of "
        "that round (before publication; audited). Lists the units' leaves without data."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="questionnaire code")
        parser.add_argument("round", help="round code")
        parser.add_argument("--dry-run", action="store_true", help="compute only, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign = queries.campaign_by_code(options["code"], options["round"])
            applied = apply.apply_campaign(campaign=campaign, by=None, dry_run=options["dry_run"])
        except (queries.CampaignNotFound, CampaignRefused) as refused:
            raise CommandError(str(refused)) from None
        for unit, leaf in applied.without_data:
            self.stderr.write(f"no data: {unit} {leaf} (scores 0)")
        for unit in applied.not_in_round:
            self.stderr.write(f"not assessed in {options['round']}: {unit}")
        note = "dry run, nothing saved: " if applied.dry_run else ""
        self.stdout.write(
            f"{note}{applied.written} survey values written, {applied.unchanged} unchanged, "
            f"{applied.kept_na} not applicable kept, {len(applied.without_data)} without data"
        )
