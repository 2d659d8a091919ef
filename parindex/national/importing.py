"""Reading and checking the Ministry's tables and appraised points before anything is saved.

National table (CSV or XLSX, wide, docs/design.md): `year,province,index_percent,area_1,area_2,…`.
Appraised points (CSV or XLSX, one province and year): `criterion_code,criterion_name,
max_points,points,owner`. Every problem is collected with its row number, in the active language
(Vietnamese by default); a file with any problem is refused as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

# The tables are read by assessments (the lower app that reads the Ministry's appraised points
# too); re-exported here for national's callers.
from parindex.assessments.ministryfile import MAX_BYTES as MAX_BYTES
from parindex.assessments.ministryfile import AppraisedRow as AppraisedRow
from parindex.assessments.ministryfile import ImportFailed, parse_decimal, read_rows
from parindex.assessments.ministryfile import parse_appraised as parse_appraised
from parindex.core.refusals import Problems
from parindex.national.analysis import round2
from parindex.national.models import Province, ProvinceAlias
from parindex.national.names import ascii_key, name_key

TABLE_FIXED = ["year", "province", "index_percent"]
AREA_COLUMN = re.compile(r"^area_([0-9A-Za-z.]+)$")
_FLOAT_NOISE = Decimal("0.000001")


def _percent(text: str, label: str, problems: Problems) -> Decimal | None:
    value = parse_decimal(text)
    if value is None:
        problems.add(
            _("%(column)s “%(value)s” is not a number") % {"column": label, "value": text},
            code="national_file.not_a_number",
        )
        return None
    if abs(value - round2(value)) > _FLOAT_NOISE:
        problems.add(
            _("%(column)s %(value)s has more than two decimals") % {"column": label, "value": text},
            code="national_file.too_many_decimals",
        )
        return None
    if not Decimal(0) <= value <= Decimal(100):
        problems.add(
            _("%(column)s %(value)s is not between 0 and 100") % {"column": label, "value": text},
            code="national_file.out_of_range",
        )
        return None
    return round2(value)


class ProvinceResolver:
    """Finds the province meant by a name: its own name, an alias, or an unambiguous plain form."""

    def __init__(self) -> None:
        provinces = list(Province.objects.all())
        self.by_key = {name_key(p.name): p for p in provinces}
        by_pk = {p.pk: p for p in provinces}
        for key, province_id in ProvinceAlias.objects.values_list("key", "province_id"):
            self.by_key.setdefault(key, by_pk[province_id])
        plain: dict[str, set[int]] = {}
        for key, province in self.by_key.items():
            plain.setdefault(ascii_key(key), set()).add(province.pk)
        self.by_ascii = {key: by_pk[next(iter(ids))] for key, ids in plain.items() if len(ids) == 1}

    def resolve(self, name: str) -> Province | None:
        """The province of a name, or None when nothing matches."""
        key = name_key(name)
        return self.by_key.get(key) or self.by_ascii.get(ascii_key(key))


@dataclass
class TableRow:
    """One checked row of a national table."""

    line: int
    province_id: int
    province: str
    index_percent: Decimal
    areas: dict[str, Decimal | None]


@dataclass
class ParsedTables:
    """A checked national-table file: its area codes and its rows per year."""

    source_name: str
    area_codes: list[str]
    years: dict[int, list[TableRow]] = field(default_factory=dict)

    def to_session(self) -> dict[str, Any]:
        """A JSON-friendly form, kept in the session while the user confirms a replacement."""
        return {
            "source_name": self.source_name,
            "area_codes": self.area_codes,
            "years": {
                str(year): [
                    [
                        row.line,
                        row.province_id,
                        row.province,
                        str(row.index_percent),
                        {code: None if v is None else str(v) for code, v in row.areas.items()},
                    ]
                    for row in rows
                ]
                for year, rows in self.years.items()
            },
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> ParsedTables:
        """Rebuild a checked file from its session form."""
        return cls(
            source_name=data["source_name"],
            area_codes=list(data["area_codes"]),
            years={
                int(year): [
                    TableRow(
                        line,
                        province_id,
                        province,
                        Decimal(index),
                        {code: None if v is None else Decimal(v) for code, v in areas.items()},
                    )
                    for line, province_id, province, index, areas in rows
                ]
                for year, rows in data["years"].items()
            },
        )


def parse_tables(data: bytes, source_name: str = "") -> ParsedTables:
    """Read and check a national-table file; raise ImportFailed listing every problem."""
    rows = read_rows(data, source_name)
    if not rows or not any(rows[0]):
        raise ImportFailed([_("The file is empty.")], code="ministry_file.empty")
    header = [cell.strip().lower() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    area_codes = [match.group(1) for cell in header[3:] if (match := AREA_COLUMN.match(cell))]
    if header[:3] != TABLE_FIXED or len(area_codes) != len(header) - 3:
        raise ImportFailed(
            [
                _(
                    "The header must be: year,province,index_percent,area_1,area_2,… "
                    "(found: %(found)s)"
                )
                % {"found": ",".join(header)}
            ],
            code="national_file.bad_header",
        )
    if len(set(area_codes)) != len(area_codes):
        raise ImportFailed(
            [_("An area column appears twice in the header.")], code="national_file.duplicate_area"
        )
    resolver = ProvinceResolver()
    parsed = ParsedTables(source_name=source_name, area_codes=area_codes)
    problems = Problems()
    seen: dict[tuple[int, int], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        if any(cells[len(header) :]):
            problems.add(
                _("Row %(row)d: more cells than columns in the header.") % {"row": line},
                code="national_file.too_many_cells",
            )
            continue
        row_problems = Problems()
        year = _year(cells[0], row_problems)
        province = None
        if not cells[1]:
            row_problems.add(_("the province is empty"), code="national_file.no_province")
        else:
            province = resolver.resolve(cells[1])
            if province is None:
                row_problems.add(
                    _(
                        "no province or city is named “%(name)s” (if it is another spelling, "
                        "add it to the province aliases)"
                    )
                    % {"name": cells[1]},
                    code="national_file.unknown_province",
                )
            elif year and province.last_year and year > province.last_year:
                row_problems.add(
                    _("%(name)s no longer exists in %(year)d (its last table is %(last)d)")
                    % {"name": province.name, "year": year, "last": province.last_year},
                    code="national_file.province_ended",
                )
        index = None
        if cells[2]:
            index = _percent(cells[2], "index_percent", row_problems)
        else:
            row_problems.add(_("index_percent is empty"), code="national_file.no_index")
        areas: dict[str, Decimal | None] = {}
        for code, text in zip(area_codes, cells[3 : len(header)], strict=True):
            areas[code] = _percent(text, f"area_{code}", row_problems) if text else None
        if year and province:
            earlier = seen.setdefault((year, province.pk), line)
            if earlier != line:
                row_problems.add(
                    _("%(name)s already appears for %(year)d on row %(earlier)d")
                    % {"name": province.name, "year": year, "earlier": earlier},
                    code="national_file.duplicate_row",
                )
        if row_problems:
            problems.extend(
                [
                    _("Row %(row)d: %(problem)s.") % {"row": line, "problem": problem}
                    for problem in row_problems.texts
                ],
                row_problems.codes,
            )
            continue
        assert year is not None and province is not None and index is not None
        parsed.years.setdefault(year, []).append(
            TableRow(line, province.pk, province.name, index, areas)
        )
    if not parsed.years and not problems:
        raise ImportFailed([_("The file has no province rows.")], code="national_file.no_rows")
    if problems:
        raise ImportFailed(problems.texts, code="national_file.invalid", codes=problems.codes)
    return parsed


def _year(text: str, problems: Problems) -> int | None:
    value = parse_decimal(text)
    if value is None or value != value.to_integral_value() or not 2000 <= value <= 2100:
        problems.add(
            _("the year “%(value)s” is not a year") % {"value": text}, code="national_file.bad_year"
        )
        return None
    return int(value)
