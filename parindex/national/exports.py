"""The analysis as rows, JSON, Markdown and DOCX: every format is fed by the same rows.

JSON follows docs/design.md "Command line" exactly (numbers as numbers, `rank_change` > 0 = up).
Markdown and DOCX are the official's text (always in Vietnamese, the language of the
administration) followed by the appendix of criteria that did not reach their maximum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parindex.core.formatting import format_number
from parindex.core.queries import letterhead_settings
from parindex.documents import charts
from parindex.documents.blocks import (
    AdminDocument,
    Heading,
    Image,
    Paragraph,
    Table,
)
from parindex.documents.docx import build_docx
from parindex.national import text
from parindex.national.report import Report

Row = list[Any]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_json(report: Report) -> dict[str, Any]:
    """The JSON form of docs/design.md: province, year, index, rank of N, previous rank, areas."""
    analysis = report.analysis
    return {
        "province": analysis.province,
        "year": analysis.year,
        "index_percent": _number(analysis.index_percent),
        "rank": analysis.rank,
        "of": analysis.of,
        "previous_rank": analysis.previous_rank,
        "rank_change": analysis.rank_change,
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "percent": _number(area.percent),
                "rank": area.rank,
                "previous_rank": area.previous_rank,
                "rank_change": area.rank_change,
            }
            for area in analysis.areas
        ],
    }


def change_text(change: int | None) -> str:
    """A change of places in words ("tăng 4", "giảm 20", "giữ nguyên"), never a colour alone."""
    if change is None:
        return "—"
    if change > 0:
        return _("up %(places)d") % {"places": change}
    if change < 0:
        return _("down %(places)d") % {"places": -change}
    return _("unchanged")


def _rank(rank: int | None, of: int | None) -> str:
    return "—" if rank is None else f"{rank}/{of}"


def area_rows(report: Report) -> Iterator[Row]:
    """Per area: percent, rank, change in places, national average and best province."""
    analysis = report.analysis
    yield [
        _("Code"),
        _("Area"),
        _("Percent (%)"),
        _("Rank"),
        _("Change"),
        _("National average (%)"),
        _("Best (%)"),
    ]
    for area in analysis.areas:
        yield [
            area.code,
            area.name,
            area.percent,
            _rank(area.rank, area.of),
            change_text(area.rank_change),
            area.national_average,
            area.best_percent,
        ]


def trend_rows(report: Report) -> Iterator[Row]:
    """The province's index and rank over the years, with the national average."""
    yield [_("Year"), _("Index (%)"), _("Rank"), _("National average (%)")]
    for point in report.trend:
        yield [
            point.year,
            point.index_percent,
            _rank(point.rank, point.of),
            point.national_average,
        ]


def headroom_rows(report: Report) -> Iterator[Row]:
    """What recovering each area's (and each department's) lost points would have achieved."""
    analysis = report.analysis
    yield [_("Recovering the points lost in"), _("Points"), _("Index (%)"), _("Rank"), _("Change")]
    labelled = [
        *((_("Area %(name)s") % {"name": item.label}, item) for item in analysis.area_headroom),
        *(
            (_("Criteria led by %(owner)s") % {"owner": item.label}, item)
            for item in analysis.owner_headroom
        ),
    ]
    for label, item in labelled:
        yield [
            label,
            item.points,
            item.index_percent,
            _rank(item.rank, analysis.of),
            change_text(item.places_gained),
        ]


def appendix_rows(report: Report) -> Iterator[Row]:
    """The criteria that did not reach their maximum, points lost and the responsible department."""
    yield [
        _("No."),
        _("Criterion"),
        _("Content"),
        _("Maximum"),
        _("Obtained"),
        _("Lost"),
        _("Responsible"),
    ]
    for number, item in enumerate(report.appendix, start=1):
        yield [
            number,
            item.code,
            item.name,
            item.max_points,
            item.points,
            item.lost_points,
            item.owner,
        ]
    if report.appendix:
        yield [
            "",
            "",
            _("Total"),
            sum((i.max_points for i in report.appendix), Decimal(0)),
            sum((i.points for i in report.appendix), Decimal(0)),
            sum((i.lost_points for i in report.appendix), Decimal(0)),
            "",
        ]


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value).replace("|", "\\|")


def _markdown_table(rows: Iterator[Row]) -> list[str]:
    header, *body = list(rows)
    lines = ["| " + " | ".join(_cell(c) for c in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in body]
    return lines


def title(report: Report) -> str:
    """ "Phân tích Chỉ số cải cách hành chính năm 2022 của tỉnh Hà Tĩnh"."""
    return _("Analysis of the PAR Index %(year)d of the %(province)s") % {
        "year": report.analysis.year,
        "province": text.province_label(report.analysis.province, report.is_city),
    }


def appendix_title(report: Report) -> str:
    """The appendix's title."""
    return _("Criteria and sub-criteria that did not reach their maximum in %(year)d") % {
        "year": report.analysis.year
    }


def to_markdown(report: Report) -> str:
    """The analysis text in Markdown (Vietnamese), with the area table and the appendix."""
    with translation.override("vi"):
        lines = [f"# {title(report)}", ""]
        for paragraph in text.paragraphs(report):
            lines += [paragraph, ""]
        lines += [f"## {_('Results by area')}", "", *_markdown_table(area_rows(report)), ""]
        lines += [f"## {_('Index and rank over the years')}", ""]
        lines += [*_markdown_table(trend_rows(report)), ""]
        if report.analysis.area_headroom or report.analysis.owner_headroom:
            lines += [
                f"## {_('Headroom to rank')}",
                "",
                *_markdown_table(headroom_rows(report)),
                "",
            ]
        lines += [f"## {_('Appendix')}: {appendix_title(report)}", ""]
        if report.appendix:
            lines += _markdown_table(appendix_rows(report))
        else:
            lines.append(_("No criterion lost points, or no appraised points were imported."))
        return "\n".join(lines).rstrip() + "\n"


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def area_chart_png(report: Report) -> bytes:
    """Per-area percent of the province against the national average and the best province."""
    areas = [area for area in report.analysis.areas if area.percent is not None]
    return charts.bar_chart_png(
        categories=[f"{area.code}. {_short(area.name)}" for area in areas],
        series=[
            charts.Series(report.analysis.province, [area.percent for area in areas]),
            charts.Series(_("National average"), [area.national_average for area in areas]),
            charts.Series(_("Best province"), [area.best_percent for area in areas]),
        ],
        title=_("Component indices by area, %(year)d (%%)") % {"year": report.analysis.year},
        value_label="%",
        horizontal=True,
        limits=(
            max(0.0, min(float(a.percent or 0) for a in areas) - 15) if areas else 0.0,
            104.0,
        ),
        size_inches=(7.5, 1.2 + 0.55 * max(len(areas), 1)),
    )


def index_chart_png(report: Report) -> bytes:
    """The province's index over the years against the national average."""
    points = report.trend
    values = [float(p.index_percent) for p in points if p.index_percent is not None]
    low = min([*values, *(float(p.national_average) for p in points)], default=70.0)
    return charts.bar_chart_png(
        categories=[str(p.year) for p in points],
        series=[
            charts.Series(report.analysis.province, [p.index_percent for p in points]),
            charts.Series(_("National average"), [p.national_average for p in points]),
        ],
        title=_("PAR Index over the years (%)"),
        value_label="%",
        limits=(max(0.0, low - 10), 100.0),
    )


def rank_chart_png(report: Report) -> bytes:
    """The province's rank over the years (rank 1 at the top), labelled "28/63"."""
    points = report.trend
    labels: dict[Decimal | float | int, str] = {
        p.rank: f"{p.rank}/{p.of}" for p in points if p.rank is not None
    }
    worst = max((p.of for p in points), default=63)
    return charts.line_chart_png(
        categories=[str(p.year) for p in points],
        series=[charts.Series(report.analysis.province, [p.rank for p in points])],
        title=_("Rank over the years"),
        value_label=_("Rank"),
        invert=True,
        limits=(0.5, worst + 0.5),
        value_format=lambda value: labels.get(value, "") if value is not None else "",
    )


def to_docx(report: Report, *, today: dt.date | None = None) -> bytes:
    """The analysis as a report of the Department of Home Affairs (Decree 30/2020 format)."""
    settings = letterhead_settings()
    analysis = report.analysis
    our_name = analysis.province[4:] if analysis.province.startswith("TP. ") else analysis.province
    with translation.override("vi"):
        parent = (
            _("People's Committee of the city of %(name)s") % {"name": our_name}
            if report.is_city or analysis.province.startswith("TP. ")
            else _("People's Committee of the province of %(name)s") % {"name": our_name}
        )
        blocks: list[Any] = [Heading(_("I. OVERALL RESULT"))]
        blocks += [Paragraph(paragraph) for paragraph in text.paragraphs(report)]
        blocks += [
            Heading(_("II. RESULTS BY AREA")),
            Table(
                rows=list(area_rows(report)),
                numeric_columns={2, 3, 5, 6},
                widths_mm=[12, 62, 20, 18, 18, 18, 17],
                font_pt=12,
            ),
        ]
        if any(area.percent is not None for area in analysis.areas):
            blocks.append(
                Image(
                    area_chart_png(report),
                    width_mm=160,
                    caption=_(
                        "Chart 1. Component indices by area: the province, the national "
                        "average and the best province"
                    ),
                )
            )
        blocks += [
            Heading(_("III. INDEX AND RANK OVER THE YEARS")),
            Table(rows=list(trend_rows(report)), numeric_columns={1, 2, 3}, font_pt=12),
            Image(
                index_chart_png(report),
                width_mm=150,
                caption=_("Chart 2. PAR Index over the years"),
            ),
            Image(rank_chart_png(report), width_mm=150, caption=_("Chart 3. Rank over the years")),
        ]
        if analysis.area_headroom or analysis.owner_headroom:
            blocks += [
                Heading(_("IV. HEADROOM TO RANK")),
                Table(
                    rows=list(headroom_rows(report)),
                    numeric_columns={1, 2, 3},
                    widths_mm=[70, 20, 25, 25, 25],
                    font_pt=12,
                ),
            ]
        appendix: list[Any] = [
            Heading(_("APPENDIX")),
            Paragraph(appendix_title(report), bold=True, align="center", indent=False),
        ]
        if report.appendix:
            appendix.append(
                Table(
                    rows=list(appendix_rows(report)),
                    numeric_columns={3, 4, 5},
                    widths_mm=[10, 15, 62, 16, 16, 16, 30],
                    font_pt=12,
                )
            )
        else:
            appendix.append(
                Paragraph(_("No criterion lost points, or no appraised points were imported."))
            )
        spec = AdminDocument(
            letterhead=settings.letterhead(kind_code="BC", parent_agency=parent, place=our_name),
            date=today or timezone.localdate(),
            kind=_("Report"),
            subject=title(report),
            blocks=blocks,
            recipients=[
                _("The Provincial People's Committee (to report);"),
                _("The Director and Deputy Directors;"),
                _("The divisions of the Department;"),
                _("Archive: office, PAR division."),
            ],
            signature=settings.signature(),
            appendix=appendix,
        )
        return build_docx(spec)


def filename(report: Report, extension: str) -> str:
    """A download name such as "phan-tich-chi-so-cchc-ha-tinh-2022.docx"."""
    from django.utils.text import slugify

    from parindex.national.names import ascii_key

    slug = slugify(ascii_key(report.analysis.province))
    return f"phan-tich-chi-so-cchc-{slug}-{report.analysis.year}.{extension}"
