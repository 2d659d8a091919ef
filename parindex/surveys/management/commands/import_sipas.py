"""`parindex survey sipas FILE [--dry-run]`: satisfaction counts per unit and item."""

from __future__ import annotations

from parindex.surveys.management.indexcommand import IndexImportCommand


class Command(IndexImportCommand):
    help = (
        "Import SIPAS-style satisfaction counts from CSV or XLSX "
        "(year,unit_code,aspect,factor,item,satisfied,answered); the years in the file replace "
        "those years; any problem refuses the whole file."
    )
    kind = "sipas"
