"""Searches in the database that ignore case and marks as `vietnamese.fold` does, the same on
SQLite and PostgreSQL: "so tu phap" and "SỞ TƯ PHÁP" both find "Sở Tư pháp".

Django's `icontains` folds only ASCII letters on SQLite ("SỞ" misses "Sở") and no marks
anywhere, while people type Vietnamese without its diacritics. `Folded(field)` is the field's
text folded inside the query, so that a filter keeps its page in the database: on SQLite by
`fold` itself, registered on each connection (`register_sqlite`); on PostgreSQL by
`translate()` from the table `fold` gives each accented Latin letter, then `lower()`.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Q, TextField
from django.db.models.lookups import Contains
from django.db.models.sql.compiler import SQLCompiler

from parindex.core.vietnamese import fold

SQLITE_FUNCTION = "parindex_fold"


def _letter_table() -> tuple[str, str]:
    """Every accented Latin letter (both cases) and the one ASCII letter `fold` makes of it."""
    accented, plain = [], []
    for point in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(point)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            accented.append(char)
            plain.append(folded)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _letter_table()


class Folded(Func):
    """A text column as `fold` gives it (spaces are not collapsed: searched word by word)."""

    function = SQLITE_FUNCTION
    output_field = TextField()

    def __init__(self, expression: Any) -> None:
        super().__init__(F(expression) if isinstance(expression, str) else expression)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        # NFC first: a name pasted in decomposed form keeps its marks apart from its letters
        return (
            f"LOWER(TRANSLATE(NORMALIZE(({sql})::text, NFC), %s, %s))",
            (*params, ACCENTED, PLAIN),
        )


def _sqlite_fold(text: Any) -> str | None:
    return None if text is None else fold(str(text))


def register_sqlite(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: SQLite learns `parindex_fold` (elsewhere: nothing)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def words_in(text: str, *fields: str) -> Q:
    """Rows where every word of `text` is in one of `fields`, case and marks ignored (every row
    for a text without words), as the header search matches (`vietnamese.matches`)."""
    words = fold(text).split()
    if not words:
        return Q()
    return reduce(
        and_, (reduce(or_, (Q(Contains(Folded(name), word)) for name in fields)) for word in words)
    )
