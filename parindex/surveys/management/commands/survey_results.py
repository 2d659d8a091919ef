"""`parindex survey results CODE [--round ROUND] --format csv [-o FILE]`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.surveys import exports, queries, scoring


class Command(BaseCommand):
    help = (
        "Write the survey results of a questionnaire's campaign (its latest round unless "
        "--round) as the machine CSV: unit_code,criterion_code,responses,percent,points."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="questionnaire code")
        parser.add_argument("--round", default="", help="round code (default: the latest)")
        parser.add_argument("--format", required=True, choices=["csv"])
        parser.add_argument("-o", "--output", default="", help="file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign = queries.campaign_by_code(options["code"], options["round"])
        except queries.CampaignNotFound as missing:
            raise CommandError(str(missing)) from None
        data = exports.results_csv(scoring.campaign_scores(campaign))
        if options["output"]:
            with open(options["output"], "wb") as output:
                output.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
