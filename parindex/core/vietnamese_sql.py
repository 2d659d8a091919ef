"""Vietnamese text in queries, the same on SQLite and PostgreSQL: searches that ignore case and
marks as `vietnamese.fold` does ("so tu phap" and "SỞ TƯ PHÁP" both find "Sở Tư pháp"), and
the alphabetical order of `vietnamese.sort_key` (Đ after D, "Đắk Lắk" before "Yên Bái").

Django's `icontains` folds only ASCII letters on SQLite ("SỞ" misses "Sở") and no marks
anywhere, while people type Vietnamese without its diacritics. `Folded(field)` is the field's
text folded inside the query, so that a filter keeps its page in the database: on SQLite by
`fold` itself, registered on each connection (`register_sqlite`); on PostgreSQL by the
extension `unaccent`, which drops the same marks (đ as d), then `lower()`.

`vietnamese_order(field)` orders by the field alphabetically: on SQLite by `sort_text`,
registered as well; on PostgreSQL by ICU's Vietnamese collation ("vi-x-icu", which the
server's packages carry), whose order is the same but for ties between texts that differ only
in case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.apps import AppConfig
from django.core import checks
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Func, Q, TextField, Value
from django.db.models.expressions import OrderBy
from django.db.models.sql.compiler import SQLCompiler

from parindex.core.vietnamese import fold, has_words, query_words, sort_text

SQLITE_FUNCTION = "parindex_fold"
SQLITE_ORDER = "parindex_sort_text"
SQLITE_WORDS = "parindex_words_in"
POSTGRESQL_COLLATION = "vi-x-icu"
POSTGRESQL_ENCODING = "UTF8"


class _ColumnText(Func):
    """A text column through a function: on SQLite one of ours (`function`, registered by
    `register_sqlite`), on PostgreSQL the SQL of `postgresql` around the column's ("{column}")."""

    output_field = TextField()
    postgresql = "{column}"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return self.postgresql.format(column=sql), tuple(params)


class Folded(_ColumnText):
    """A text column as `fold` gives it (spaces are not collapsed: searched word by word)."""

    function = SQLITE_FUNCTION
    # the extension `unaccent` (migration core 0004): 0.8 µs a row, where decomposing the text
    # and dropping its marks took 5 µs and one TRANSLATE of every accented letter 66 µs
    # (decision 42)
    postgresql = "LOWER(UNACCENT(({column})::text))"


class _Alphabetical(_ColumnText):
    """A text column's value for sorting (see `vietnamese_order`)."""

    function = SQLITE_ORDER
    postgresql = f'({{column}}) COLLATE "{POSTGRESQL_COLLATION}"'


def vietnamese_order(field: str) -> OrderBy:
    """Order by `field` in Vietnamese alphabetical order; "-field" for the reverse."""
    expression = _Alphabetical(field.lstrip("-"))
    return expression.desc() if field.startswith("-") else expression.asc()


@checks.register(checks.Tags.database)
def check_postgresql_text(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """`migrate` and `check --database`: PostgreSQL must hold text in UTF-8 (Vietnamese, and
    the searches' folding) and carry ICU's Vietnamese collation (lists sorted by name)."""
    errors: list[checks.CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            (encoding,) = cursor.fetchone()
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [POSTGRESQL_COLLATION])
            has_collation = cursor.fetchone() is not None
        if encoding != POSTGRESQL_ENCODING:
            errors.append(
                checks.Error(
                    f"PostgreSQL ({alias}) holds text in {encoding}: Vietnamese names and "
                    f"their searches need {POSTGRESQL_ENCODING}.",
                    hint="Create the database with ENCODING 'UTF8'.",
                    id="parindex.E002",
                )
            )
        if not has_collation:
            errors.append(
                checks.Error(
                    f"PostgreSQL ({alias}) has no collation {POSTGRESQL_COLLATION}: lists "
                    "sorted by name cannot be read.",
                    hint="Use a PostgreSQL server built with ICU (Debian's and the official "
                    "packages are).",
                    id="parindex.E001",
                )
            )
    return errors


def _sqlite_fold(text: Any) -> str | None:
    return None if text is None else fold(str(text))


def _sqlite_sort_text(text: Any) -> str | None:
    return None if text is None else sort_text(str(text))


def _sqlite_words_in(*arguments: Any) -> bool:
    *texts, words = arguments
    return has_words(str(words).split(), *(str(text) for text in texts if text is not None))


def register_sqlite(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: SQLite learns `parindex_fold`, `parindex_sort_text` and
    `parindex_words_in` (elsewhere: nothing)."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)
        raw.create_function(SQLITE_ORDER, 1, _sqlite_sort_text, deterministic=True)
        raw.create_function(SQLITE_WORDS, -1, _sqlite_words_in, deterministic=True)


class _WordsIn(Func):
    """Whether every word (the last argument: folded words, space-separated) is in one of the
    fields (the others). SQLite: one call per row (`parindex_words_in`), where a LIKE per word
    and field called `parindex_fold` again for each (a registry of 13,000 units searched for
    three words: 262 → 110 ms). PostgreSQL: a LIKE per word and field on `Folded`."""

    function = SQLITE_WORDS
    output_field = BooleanField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        *fields, words = self.source_expressions
        columns = [compiler.compile(Folded(field)) for field in fields]
        clauses, params = [], []
        for word in cast(Value, words).value.split():
            pattern = f"%{connection.ops.prep_for_like_query(word)}%"
            clauses.append("(" + " OR ".join(f"{sql} LIKE %s" for sql, _p in columns) + ")")
            for _sql, column_params in columns:
                params.extend([*column_params, pattern])
        return " AND ".join(clauses), tuple(params)


def words_in(text: str, *fields: str) -> Q:
    """Rows where every word of `text` (`vietnamese.query_words`) is in one of `fields`, case
    and marks ignored (every row for a text without words), as `vietnamese.matcher` finds."""
    words = query_words(text)
    if not words:
        return Q()
    return Q(_WordsIn(*fields, Value(" ".join(words))))
