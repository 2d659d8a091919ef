"""`parindex survey papi FILE [--dry-run]`: PAPI scores per province and year."""

from __future__ import annotations

from parindex.surveys.management.indexcommand import IndexImportCommand


class Command(IndexImportCommand):
    help = (
        "Import PAPI scores from CSV or XLSX (year,province,participation,transparency,"
        "accountability,corruption,procedures,services,environment,e_governance[,total]); the "
        "years in the file replace those years; any problem refuses the whole file."
    )
    kind = "papi"
