"""The long-form responses file (CSV or XLSX), read as a stream by the shared table module."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from parindex.surveys.services.responses import HEADER, ResponsesRefused


def response_rows(data: bytes, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each response row after a header that must be the contract's."""
    from parindex.documents.tables import TableError, iter_rows

    try:
        rows = iter_rows(data, filename)
        header = next(rows, None)
        if header is None:
            raise ResponsesRefused([_("The file is empty.")])
        names = [cell.strip().lower() for cell in header.cells]
        if names[: len(HEADER)] != HEADER:
            raise ResponsesRefused(
                [
                    _("The first row must be %(header)s, not %(found)s.")
                    % {"header": ",".join(HEADER), "found": ",".join(header.cells)}
                ]
            )
        for row in rows:
            if any(cell.strip() for cell in row.cells):
                yield row.number, row.cells
    except TableError as error:
        raise ResponsesRefused([str(error)]) from None
