"""The scores import: self, appraised and survey values from a file, all or nothing.

Written in bulk (a national round's 525,000 rows in seconds): see `assessments.bulk`.
"""

from __future__ import annotations

from parindex.assessments.bulk import STAGE_FIELDS, ImportFailed, import_scores

__all__ = ["STAGE_FIELDS", "ImportFailed", "import_scores"]
