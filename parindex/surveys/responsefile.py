"""The long-form responses file (CSV or XLSX), read as a stream by the shared table module."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from django.utils.translation import gettext as _

from parindex.documents.tables import DEFAULT_LIMITS, MB, TableError, iter_rows
from parindex.surveys.services.responses import HEADER, ResponsesRefused

# One row per answer: a national campaign's file is far longer than other imports (100,000
# forms of six questions are 600,000 rows), so its limits are raised in proportion.
RESPONSE_LIMITS = dataclasses.replace(
    DEFAULT_LIMITS,
    max_bytes=64 * MB,
    max_inflated=512 * MB,
    max_rows=1_000_000,
    max_cells=5_000_000,
)


def response_rows(data: bytes, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each response row after a header that must be the contract's."""
    try:
        rows = iter_rows(data, filename, limits=RESPONSE_LIMITS)
        header = next(rows, None)
        if header is None:
            raise ResponsesRefused([_("The file is empty.")], code="survey_responses.empty_file")
        names = [cell.strip().lower() for cell in header.cells]
        if names[: len(HEADER)] != HEADER:
            raise ResponsesRefused(
                [
                    _("The first row must be %(header)s, not %(found)s.")
                    % {"header": ",".join(HEADER), "found": ",".join(header.cells)}
                ],
                code="survey_responses.bad_header",
            )
        for row in rows:
            if any(cell.strip() for cell in row.cells):
                yield row.number, row.cells
    except TableError as error:
        raise ResponsesRefused([str(error)], code="survey_responses.unreadable") from None
