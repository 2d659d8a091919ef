"""`parindex reports types FILE`: the report types of the reporting regime."""

from __future__ import annotations

from typing import Any

from parindex.monitoring import services
from parindex.monitoring.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update report types from CSV or XLSX (code,title,legal_basis,frequency,"
        "due_day,unit_types; frequency monthly, quarterly, half_yearly or yearly; unit_types "
        "separated by ';'). Any problem refuses the whole file."
    )
    header = services.REPORT_TYPES_HEADER

    def run(self, rows: Any, options: dict[str, Any]) -> services.ImportResult:
        return services.import_report_types(by=None, rows=rows, dry_run=options["dry_run"])
