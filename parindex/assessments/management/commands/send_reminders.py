"""`parindex remind`: send the deadline reminders that are due today (run daily by cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from parindex.assessments import notifications
from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = (
        "Remind everyone with pending work 7, 3 and 1 days before each deadline of the open "
        "rounds, and once when it is overdue. Safe to run again: nothing is sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="act as if today were YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notifications.send_reminders(options["date"])
        self.stdout.write(_("%(n)d reminder(s) sent.") % {"n": sent})
