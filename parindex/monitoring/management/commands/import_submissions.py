"""`parindex reports submissions FILE`: the reports units sent."""

from __future__ import annotations

from typing import Any

from parindex.monitoring import services
from parindex.monitoring.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Record the reports units sent from CSV or XLSX (report_code,unit_code,period,"
        "submitted_on; period 2026-03, 2026-Q1, 2026-H1 or 2026). Any problem refuses the "
        "whole file."
    )
    header = services.SUBMISSIONS_HEADER

    def run(self, rows: Any, options: dict[str, Any]) -> services.ImportResult:
        return services.import_submissions(by=None, rows=rows, dry_run=options["dry_run"])
