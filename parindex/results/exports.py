"""Results as plain rows, header first: one set of rows feeds CSV, XLSX, DOCX and PDF.

The CSV machine format is fixed by docs/design.md:
`rank,unit_code,unit_name,points,max_points,index_percent,band,area_<code>_percent…`, `.`
decimal, 2 decimals, empty for an area whose every leaf is excluded as not applicable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parindex.documents import tables
from parindex.results import analysis
from parindex.results.computing import RoundResults, TypeResults

Row = list[Any]


def _fixed(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def machine_rows(type_results: TypeResults) -> Iterator[Row]:
    """The ranking in docs/design.md's CSV machine format (header first)."""
    areas = [code for code, _name in analysis.area_names(type_results)]
    yield [
        "rank",
        "unit_code",
        "unit_name",
        "points",
        "max_points",
        "index_percent",
        "band",
        *(f"area_{code}_percent" for code in areas),
    ]
    for row in analysis.ranking(type_results):
        yield [
            row.rank,
            row.unit_code,
            row.unit_name,
            _fixed(row.points),
            _fixed(row.max_points),
            _fixed(row.index_percent),
            row.band_code,
            *(_fixed(cell.percent) for cell in row.areas),
        ]


def ranking_rows(
    type_results: TypeResults, rows: list[analysis.RankingRow] | None = None
) -> Iterator[Row]:
    """The ranking table for people: Vietnamese headers, numbers kept as numbers."""
    areas = analysis.area_names(type_results)
    yield [
        _("Rank"),
        _("Unit code"),
        _("Unit"),
        _("Points scored"),
        _("Maximum"),
        _("Index (%)"),
        _("Band"),
        *(_("Area %(code)s (%%)") % {"code": code} for code, _name in areas),
    ]
    for row in rows if rows is not None else analysis.ranking(type_results):
        yield [
            row.rank,
            row.unit_code,
            row.unit_name,
            row.points,
            row.max_points,
            row.index_percent,
            row.band_name,
            *(cell.percent for cell in row.areas),
        ]


def unit_rows(type_results: TypeResults, unit_code: str) -> Iterator[Row]:
    """A unit's detailed sheet: every criterion with self, appraised, final and lost points."""
    yield [
        _("Code"),
        _("Criterion"),
        _("Maximum"),
        _("Self-assessed"),
        _("Appraised"),
        _("Final points"),
        _("Lost points"),
        _("Appraiser's reason"),
    ]
    for line in analysis.criterion_lines(type_results, unit_code):
        yield [
            line.code,
            ("    " * (line.depth - 1)) + line.name,
            None if line.is_excluded else line.max_points,
            line.self_points,
            line.appraised_points,
            None if line.is_excluded else line.points,
            None if line.is_excluded else line.lost_points,
            _("Not applicable") if line.is_excluded and line.is_leaf else line.reason,
        ]


def lost_points_rows(type_results: TypeResults) -> Iterator[Row]:
    """The appendix: criteria that lost points over the units, most first."""
    yield [
        _("Code"),
        _("Criterion"),
        _("Level"),
        _("Points lost (all units)"),
        _("Units losing points"),
        _("Units it applies to"),
    ]
    for row in analysis.lost_points(type_results):
        if row.lost_points <= 0:
            continue
        yield [
            row.code,
            row.name,
            row.depth,
            row.lost_points,
            row.units_losing,
            row.units_applicable,
        ]


def csv_text(rows: Iterator[Row]) -> str:
    """Rows as CSV text (comma separated, no byte-order mark, "\n" line ends: the machine
    format), written by the one CSV writer, formula-like cells neutralised."""
    return tables.write_csv(rows, bom=False, lineterminator="\n").decode("utf-8")


def results_json(results: RoundResults, type_code: str = "") -> str:
    """The round's results as JSON: per unit type, the ranking with areas (decimals as text)."""
    blocks = []
    for type_results in results.types.values():
        if type_code and type_results.code != type_code:
            continue
        header, *rows = list(machine_rows(type_results))
        blocks.append(
            {
                "unit_type": type_results.code,
                "index_set": type_results.index_set.code,
                "units": [dict(zip(header, row, strict=True)) for row in rows],
            }
        )
    data = {
        "round": results.round_code,
        "year": results.year,
        "provisional": results.is_provisional,
        "sha256": results.sha256 or None,
        "unit_types": blocks,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
