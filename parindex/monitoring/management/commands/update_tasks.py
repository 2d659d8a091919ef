"""`parindex tasks update PLAN_CODE FILE`: the units' progress on a plan's tasks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from parindex.monitoring import services
from parindex.monitoring.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Record the units' progress on a plan's tasks from CSV or XLSX (task_code,unit_code,"
        "status,completed_on,note; status not_started, in_progress, done or cancelled). "
        "Any problem refuses the whole file."
    )
    header = services.PROGRESS_HEADER

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="the plan's code")
        super().add_arguments(parser)

    def run(self, rows: Any, options: dict[str, Any]) -> services.ImportResult:
        return services.update_progress(
            by=None, plan_code=options["plan"], rows=rows, dry_run=options["dry_run"]
        )
