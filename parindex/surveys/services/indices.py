"""Imports of satisfaction (SIPAS-style) counts and PAPI scores, for analysis only.

SIPAS (CSV or XLSX): `year,unit_code,aspect,factor,item,satisfied,answered`, one row per unit
and item (aspects → factors → items by name, in the file's order).
PAPI (CSV or XLSX): `year,province,participation,transparency,accountability,corruption,
procedures,services,environment,e_governance[,total]`, one row per province and year; each
dimension 1 to 10, the total out of 80 (the sum when the column is empty or absent).
Each import is all or nothing and replaces the years it contains; problems are listed by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import audit
from parindex.core.refusals import Problems, Refused
from parindex.documents.tables import TableError, read_table
from parindex.surveys.analysis import PAPI_DIMENSIONS
from parindex.surveys.models import PapiScore, SipasRecord
from parindex.units.models import Unit

SIPAS_HEADER = ["year", "unit_code", "aspect", "factor", "item", "satisfied", "answered"]
PAPI_HEADER = ["year", "province", *(code for code, _name in PAPI_DIMENSIONS)]
MAX_PROBLEMS = 200


class IndexImportRefused(Refused):
    """A SIPAS or PAPI file was refused; `problems` lists every problem by row."""

    default_code = "survey_index.import_refused"


@dataclass(frozen=True)
class IndexImport:
    years: list[int]
    rows: int
    dry_run: bool = False


def check_header(header: Sequence[str], expected: list[str], optional: Sequence[str] = ()) -> None:
    """Refuse a file whose first row is not the format's header."""
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    if names not in (expected, [*expected, *optional]):
        raise IndexImportRefused(
            [
                _("The first row must be %(header)s.")
                % {"header": ",".join([*expected, *(f"[{name}]" for name in optional)])}
            ],
            code="survey_index_file.bad_header",
        )


class _Rows:
    """Collects problems by row, capped."""

    def __init__(self) -> None:
        self.problems = Problems()

    def add(self, number: int, message: str, *, code: str) -> None:
        if len(self.problems.texts) < MAX_PROBLEMS:
            self.problems.add(
                _("Row %(row)d: %(problem)s") % {"row": number, "problem": message}, code=code
            )

    def refuse_if_any(self, seen: bool) -> None:
        """Refuse the file with every problem, or for having no data rows."""
        if not seen and not self.problems:
            raise IndexImportRefused(
                [_("The file has no data rows.")], code="survey_index_file.no_rows"
            )
        if self.problems:
            raise IndexImportRefused(
                self.problems.texts, code="survey_index_file.invalid", codes=self.problems.codes
            )

    def year(self, number: int, text: str) -> int | None:
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            self.add(
                number,
                _("year must be a year such as 2025, not “%(value)s”") % {"value": text},
                code="survey_index_file.bad_year",
            )
            return None
        return int(text)

    def whole(self, number: int, name: str, text: str) -> int | None:
        if not text.isdigit():
            self.add(
                number,
                _("%(field)s must be a whole number (0, 1, 2…), not “%(value)s”")
                % {"field": name, "value": text},
                code="survey_index_file.not_a_count",
            )
            return None
        return int(text)

    def decimal(
        self, number: int, name: str, text: str, low: Decimal, high: Decimal
    ) -> Decimal | None:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not low <= value <= high:
            self.add(
                number,
                _("%(field)s must be a number from %(low)s to %(high)s, not “%(value)s”")
                % {"field": name, "low": low, "high": high, "value": text},
                code="survey_index_file.out_of_range",
            )
            return None
        if value != value.quantize(Decimal("0.0001")):
            self.add(
                number,
                _("%(field)s has more than 4 decimals") % {"field": name},
                code="survey_index_file.too_many_decimals",
            )
            return None
        return value


def _replace_years(
    model: type[SipasRecord] | type[PapiScore],
    rows: Sequence[SipasRecord] | Sequence[PapiScore],
    action: str,
    *,
    by: Any,
    dry_run: bool,
) -> IndexImport:
    """Replace the years of the checked rows (the caller holds the transaction), audited."""
    years = sorted({row.year for row in rows})
    model.objects.filter(year__in=years).delete()
    created = model.objects.bulk_create(rows, batch_size=2000)  # type: ignore[arg-type]
    # The import as a whole is recorded on its first row.
    audit.record(created[0], action, by=by, new={"years": years, "rows": len(rows)})
    if dry_run:
        transaction.set_rollback(True)
    return IndexImport(years, len(rows), dry_run)


@transaction.atomic
def import_sipas(
    *, rows: Iterable[tuple[int, Sequence[str]]], by: Any, dry_run: bool = False
) -> IndexImport:
    """Replace the satisfaction counts of the years in the file."""
    units = dict(Unit.objects.values_list("code", "pk"))
    check = _Rows()
    records: list[SipasRecord] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in rows:
        year_text, unit_code, aspect, factor, item, satisfied_text, answered_text = (
            cell.strip() for cell in (*cells, *[""] * 7)[:7]
        )
        year = check.year(number, year_text)
        unit_id = units.get(unit_code)
        if unit_id is None:
            check.add(
                number,
                _("there is no unit %(code)s") % {"code": unit_code or "—"},
                code="survey_index_file.unknown_unit",
            )
        for name, text, limit in (
            ("aspect", aspect, 200),
            ("factor", factor, 200),
            ("item", item, 300),
        ):
            if not text:
                check.add(
                    number,
                    _("%(field)s is empty") % {"field": name},
                    code="survey_index_file.empty",
                )
            elif len(text) > limit:
                check.add(
                    number,
                    _("%(field)s is longer than %(n)d characters") % {"field": name, "n": limit},
                    code="survey_index_file.too_long",
                )
        satisfied = check.whole(number, "satisfied", satisfied_text)
        answered = check.whole(number, "answered", answered_text)
        if satisfied is not None and answered is not None and satisfied > answered:
            check.add(
                number,
                _("satisfied (%(s)d) cannot exceed answered (%(a)d)")
                % {"s": satisfied, "a": answered},
                code="survey_index_file.more_satisfied_than_answered",
            )
        key = (year, unit_code, aspect, factor, item)
        if key in seen:
            check.add(
                number,
                _("the same year, unit and item are already on row %(row)d") % {"row": seen[key]},
                code="survey_index_file.duplicate_row",
            )
        seen.setdefault(key, number)
        if year and unit_id and satisfied is not None and answered is not None:
            records.append(
                SipasRecord(
                    year=year,
                    unit_id=unit_id,
                    position=number,
                    aspect=aspect,
                    factor=factor,
                    item=item,
                    satisfied=satisfied,
                    answered=answered,
                )
            )
    check.refuse_if_any(bool(seen))
    return _replace_years(SipasRecord, records, "surveys.sipas_imported", by=by, dry_run=dry_run)


@transaction.atomic
def import_papi(
    *,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    by: Any,
    dry_run: bool = False,
) -> IndexImport:
    """Replace the PAPI scores of the years in the file."""
    check_header(header, PAPI_HEADER, ("total",))
    check = _Rows()
    scores: list[PapiScore] = []
    seen: dict[tuple[int | None, str], int] = {}
    ten, eighty = Decimal(10), Decimal(80)
    for number, cells in rows:
        cells = [cell.strip() for cell in (*cells, *[""] * 11)[:11]]
        year = check.year(number, cells[0])
        province = cells[1]
        if not province or len(province) > 100:
            check.add(
                number,
                _("province must be a name of at most 100 characters"),
                code="survey_index_file.bad_province",
            )
        values = {
            code: check.decimal(number, code, text, Decimal(0), ten)
            for (code, _name), text in zip(PAPI_DIMENSIONS, cells[2:10], strict=True)
        }
        total = check.decimal(number, "total", cells[10], Decimal(0), eighty) if cells[10] else None
        key = (year, province.casefold())
        if key in seen:
            check.add(
                number,
                _("the same year and province are already on row %(row)d") % {"row": seen[key]},
                code="survey_index_file.duplicate_row",
            )
        seen.setdefault(key, number)
        given = {code: value for code, value in values.items() if value is not None}
        if year and province and len(given) == len(values):
            scores.append(
                PapiScore(
                    year=year,
                    province=province,
                    dimensions={code: str(value) for code, value in given.items()},
                    total=total if total is not None else sum(given.values(), Decimal(0)),
                )
            )
    check.refuse_if_any(bool(seen))
    return _replace_years(PapiScore, scores, "surveys.papi_imported", by=by, dry_run=dry_run)


def import_file(kind: str, data: bytes, filename: str, *, by: Any, dry_run: bool) -> IndexImport:
    """Read a SIPAS or PAPI file (CSV or XLSX, first sheet) and import it."""
    try:
        table = read_table(data, filename)
    except TableError as error:
        raise IndexImportRefused([str(error)], code="survey_index_file.unreadable") from None
    rows = [(row.number, row.cells) for row in table.rows if any(c.strip() for c in row.cells)]
    if kind == "sipas":
        check_header(table.header, SIPAS_HEADER)
        return import_sipas(rows=rows, by=by, dry_run=dry_run)
    return import_papi(header=table.header, rows=rows, by=by, dry_run=dry_run)
