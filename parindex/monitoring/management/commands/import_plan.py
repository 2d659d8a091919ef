"""`parindex plan import PLAN_CODE FILE --year Y [--title T]`: a plan's tasks, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from parindex.monitoring import services
from parindex.monitoring.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update a plan's tasks from CSV or XLSX (code,title,lead,coordinating,deadline,"
        "criterion_codes,product; lead, coordinating and criterion_codes separated by ';'). "
        "A new plan is created as a draft. Any problem refuses the whole file."
    )
    header = services.TASKS_HEADER

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="the plan's code, e.g. KH-CCHC-2026")
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="the plan's year")
        parser.add_argument("--title", default="", help="the title of a new plan")

    def run(self, rows: Any, options: dict[str, Any]) -> services.ImportResult:
        return services.import_plan(
            by=None,
            plan_code=options["plan"],
            rows=rows,
            year=options["year"],
            title=options["title"],
            dry_run=options["dry_run"],
        )
