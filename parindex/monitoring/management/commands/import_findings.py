"""`parindex inspections import FILE`: inspections and their findings."""

from __future__ import annotations

from typing import Any

from parindex.monitoring import services
from parindex.monitoring.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Record inspections and their findings from CSV or XLSX (inspection_code,unit_code,"
        "inspected_on,finding_code,text,criterion_code,remedy_deadline,remedied_on). Any "
        "problem refuses the whole file."
    )
    header = services.FINDINGS_HEADER

    def run(self, rows: Any, options: dict[str, Any]) -> services.ImportResult:
        return services.import_findings(by=None, rows=rows, dry_run=options["dry_run"])
