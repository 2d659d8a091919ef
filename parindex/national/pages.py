"""What the national pages show, prepared for the templates (reads only, no writes).

Templates only loop over and test what is prepared here: bar widths, labels and rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.core.formatting import format_number
from parindex.core.queries import letterhead_settings
from parindex.core.vietnamese_sql import vietnamese_order
from parindex.documents import xlsx
from parindex.monitoring.services import OwnedLoss
from parindex.national import exports, queries, text
from parindex.national.analysis import Area, round2
from parindex.national.importing import ParsedTables
from parindex.national.models import NationalScore, NationalTable, Province
from parindex.national.queries import RankedRow
from parindex.national.report import Report, ReportError, build_report, resolve_province
from parindex.national.services import TablesReport
from parindex.units.models import Unit


def import_message(report: TablesReport) -> str:
    """ "Imported 2021, 2022 (126 rows); replaced 2022." in the active language."""
    message = _("Imported %(years)s (%(rows)d rows).") % {
        "years": ", ".join(str(y) for y in sorted(report.created + report.replaced)),
        "rows": report.rows,
    }
    if report.replaced:
        message += " " + _("Replaced: %(years)s.") % {
            "years": ", ".join(str(y) for y in report.replaced)
        }
    return message


@dataclass(frozen=True)
class Replacement:
    """A year of a pending import: what is saved now and what would replace it."""

    year: int
    new_provinces: int
    new_average: Decimal
    old_provinces: int | None
    old_average: Decimal | None
    old_source: str
    old_updated_at: Any


def replacement_preview(parsed: ParsedTables) -> list[Replacement]:
    """The years of a pending import side by side with the tables they would replace."""
    saved = queries.load_tables(parsed.years)
    tables = {t.year: t for t in NationalTable.objects.filter(year__in=parsed.years)}
    result = []
    for year, rows in sorted(parsed.years.items()):
        old = saved.get(year)
        values = [row.index_percent for row in rows]
        result.append(
            Replacement(
                year=year,
                new_provinces=len(rows),
                new_average=round2(sum(values, Decimal(0)) / len(values)),
                old_provinces=old.size if old else None,
                old_average=old.average() if old else None,
                old_source=tables[year].source_name if year in tables else "",
                old_updated_at=tables[year].updated_at if year in tables else None,
            )
        )
    return result


def year_table_rows(areas: list[Area], rows: list[RankedRow]) -> Iterator[list[Any]]:
    """A year's ranked table as rows for the workbook (header first)."""
    yield [
        _("Rank"),
        _("Province or city"),
        _("Index (%)"),
        _("Group"),
        *(f"{area.code}. {area.name} (%)" for area in areas),
    ]
    for row in rows:
        yield [
            row.rank,
            row.province,
            row.index_percent,
            row.group or "",
            *(percent for percent, _rank in row.areas),
        ]


@dataclass
class Choice:
    """The province and year the analysis page shows, and what else may be chosen."""

    province: Province | None = None
    year: int | None = None
    years: list[int] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    error: str = ""


def analysis_choice(params: Mapping[str, str]) -> Choice:
    """Read the chosen province and year from the URL (default: our province, the latest year)."""
    choice = Choice(years=queries.years())
    if not choice.years:
        return choice
    try:
        choice.year = int(params.get("year") or choice.years[0])
    except ValueError:
        choice.year = choice.years[0]
    name = params.get("province") or queries.our_province_name() or ""
    choice.provinces = list(
        NationalScore.objects.filter(table__year=choice.year)
        .order_by(vietnamese_order("province__name"))
        .values_list("province__name", flat=True)
    )
    if name:
        try:
            choice.province = resolve_province(name)
        except ReportError as error:
            choice.error = str(error)
    return choice


def chosen_year(params: Mapping[str, str], years: list[int]) -> int | None:
    """The year chosen in the URL among those offered (default: the latest)."""
    wanted = params.get("year", "")
    return int(wanted) if wanted.isdigit() and int(wanted) in years else next(iter(years), None)


def report_or_404(params: Mapping[str, str]) -> Report:
    """The report chosen in the URL, or 404 when there is none to make."""
    choice = analysis_choice(params)
    if choice.province is None or choice.year is None:
        raise Http404
    try:
        return build_report(province=choice.province, year=choice.year)
    except ReportError as error:
        raise Http404(str(error)) from error


def analysis_url(province: str, year: int) -> str:
    """The analysis page of a province and year."""
    return reverse("national:analysis") + "?" + urlencode({"province": province, "year": year})


@dataclass(frozen=True)
class Bar:
    """One bar of an HTML chart: its label, value as text and width in percent (CSS)."""

    label: str
    value: str
    width: str
    kind: str


def _width(value: Decimal | None, floor: Decimal) -> str:
    if value is None:
        return "0"
    span = Decimal(100) - floor
    return str(
        max(Decimal(0), min(Decimal(100), (value - floor) * 100 / span)).quantize(Decimal("0.1"))
    )


def _floor(values: list[Decimal | None]) -> Decimal:
    present = [v for v in values if v is not None]
    if not present:
        return Decimal(0)
    return max(Decimal(0), (min(present) - 10) // 10 * 10)


def analysis_context(report: Report) -> dict[str, Any]:
    """Everything the analysis page shows: text, area bars, trend, headroom and appendix."""
    analysis = report.analysis
    area_values = [
        value for a in analysis.areas for value in (a.percent, a.national_average, a.best_percent)
    ]
    floor = _floor(area_values)
    area_bars = [
        {
            "area": area,
            "change": exports.change_text(area.rank_change),
            "bars": [
                Bar(
                    analysis.province,
                    format_number(area.percent),
                    _width(area.percent, floor),
                    "ours",
                ),
                Bar(
                    _("National average"),
                    format_number(area.national_average),
                    _width(area.national_average, floor),
                    "average",
                ),
                Bar(
                    _("Best"),
                    format_number(area.best_percent),
                    _width(area.best_percent, floor),
                    "best",
                ),
            ],
        }
        for area in analysis.areas
    ]
    trend_floor = _floor(
        [p.index_percent for p in report.trend] + [p.national_average for p in report.trend]
    )
    trend = [
        {
            "point": point,
            "bars": [
                Bar(
                    analysis.province,
                    format_number(point.index_percent),
                    _width(point.index_percent, trend_floor),
                    "ours",
                ),
                Bar(
                    _("National average"),
                    format_number(point.national_average),
                    _width(point.national_average, trend_floor),
                    "average",
                ),
            ],
            "rank_width": (
                str(round(Decimal(point.of - point.rank + 1) * 100 / point.of, 1))
                if point.rank
                else "0"
            ),
        }
        for point in report.trend
    ]
    query = urlencode({"province": analysis.province, "year": analysis.year})
    return {
        "report": report,
        "analysis": analysis,
        "paragraphs": text.paragraphs(report),
        "title": exports.title(report),
        "group_text": text.group_range(analysis.group, report.groups),
        "rank_change_text": exports.change_text(analysis.rank_change),
        "area_bars": area_bars,
        "trend": trend,
        "headroom": list(exports.headroom_rows(report))[1:],
        "appendix": report.appendix,
        "appendix_total": sum((item.lost_points for item in report.appendix), Decimal(0)),
        "appendix_title": exports.appendix_title(report),
        "query": query,
        # The appendix of our own province can become a remediation plan (monitoring).
        "remedy_url": (
            reverse("national:remediation") + "?" + query
            if report.appendix and analysis.province == queries.our_province_name()
            else ""
        ),
    }


@dataclass(frozen=True)
class RemedyRow:
    """A criterion the province lost points on, as the remediation page lists it."""

    code: str
    name: str
    lost_points: Decimal
    owner: str  # the owner department's code, "" when the registry names nobody
    owner_name: str


def remedy_rows(losses: list[OwnedLoss]) -> list[RemedyRow]:
    """The lost criteria with their owner departments' names (one query)."""
    names = dict(
        Unit.objects.filter(code__in={loss.owner for loss in losses}).values_list("code", "name")
    )
    return [
        RemedyRow(loss.code, loss.name, loss.lost_points, loss.owner, names.get(loss.owner, ""))
        for loss in losses
    ]


def analysis_sheets(report: Report) -> list[xlsx.Sheet]:
    """The analysis's tables as workbook sheets (areas, years, headroom, appendix)."""
    return [
        xlsx.Sheet(_("Areas"), list(exports.area_rows(report)), widths={1: 50}),
        xlsx.Sheet(_("Years"), list(exports.trend_rows(report)), number_formats={0: "0"}),
        xlsx.Sheet(_("Headroom"), list(exports.headroom_rows(report)), widths={0: 50}),
        xlsx.Sheet(
            _("Appendix"),
            list(exports.appendix_rows(report)),
            number_formats={0: "0"},
            widths={2: 60, 6: 30},
        ),
    ]


def settings_initial() -> dict[str, Any]:
    """The settings form's current values."""
    groups = {group.code: group.min_percent for group in queries.groups()}
    name = queries.our_province_name()
    letterhead = letterhead_settings()
    return {
        "province": Province.objects.filter(name=name).first() if name else None,
        "group_a": groups.get("A", Decimal(90)),
        "group_b": groups.get("B", Decimal(80)),
        "group_c": groups.get("C", Decimal(70)),
        "parent_agency": letterhead.parent_agency,
        "agency": letterhead.agency,
        "agency_code": letterhead.agency_code,
        "place": letterhead.place,
        "signer_title": letterhead.signer_title,
        "signer_name": letterhead.signer_name,
        "letterhead_province": letterhead.province,
        "province_level": letterhead.province_level,
        "decision_signer_title": letterhead.decision_signer_title,
        "decision_signer_name": letterhead.decision_signer_name,
    }
