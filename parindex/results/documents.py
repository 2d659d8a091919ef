"""The round's results as files: CSV, JSON, XLSX, the DOCX report, the draft decision, the PDF.

Every format is fed by the same rows (`parindex.results.exports`) and the same report content
(`report_blocks`): the DOCX report and its PDF say the same thing. A provisional preview says
"Tạm tính" in its title, its file name and every sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.formatting import format_number
from parindex.documents import blocks
from parindex.results import analysis, exports, queries
from parindex.results.computing import RoundResults, TypeResults
from parindex.rounds.models import Round

KINDS = ("csv", "json", "xlsx", "docx", "decision", "pdf")
# The report (DOCX and its PDF) carries the lost-points appendix over every unit: it is read by
# those who read the analysis page. The other documents hold the ranking page's figures, and
# the workbook adds only the sheets its reader's pages show (`Scope`).
ANALYSIS_KINDS = ("docx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "decision": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
EXTENSIONS = {"decision": "docx"}


@dataclass(frozen=True)
class Scope:
    """What a reader may see beyond the ranking: the units whose detailed results they read
    (None: every unit) and whether they read the cross-unit analysis (lost points)."""

    unit_codes: frozenset[str] | None = None
    sees_analysis: bool = True

    def shows_unit(self, code: str) -> bool:
        return self.unit_codes is None or code in self.unit_codes


EVERYTHING = Scope()


def _n(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def provisional_note(results: RoundResults) -> str:
    """The mark of a preview: every document of an unpublished round carries it."""
    return _("PROVISIONAL (Tạm tính): results not yet published") if results.is_provisional else ""


# -- the report's content, shared by DOCX and PDF -----------------------------------------------


def _type_summary(type_results: TypeResults) -> str:
    rows = analysis.ranking(type_results)
    indices = [row.index_percent for row in rows]
    average = analysis.average(indices)
    best, worst = rows[0], max(rows, key=lambda row: (row.rank, row.unit_code))
    bands: dict[str, int] = {}
    for row in rows:
        bands[row.band_name] = bands.get(row.band_name, 0) + 1
    counts = "; ".join(
        f"{band.name}: {bands.get(band.name, 0)}" for band in type_results.index_set.bands
    )
    return _(
        "%(type)s: %(n)s units assessed; average index %(average)s%%; highest %(best)s "
        "(%(best_index)s%%), lowest %(worst)s (%(worst_index)s%%). By band: %(counts)s."
    ) % {
        "type": type_results.name,
        "n": len(rows),
        "average": _n(average),
        "best": best.unit_name,
        "best_index": _n(best.index_percent),
        "worst": worst.unit_name,
        "worst_index": _n(worst.index_percent),
        "counts": counts,
    }


def ranking_table(type_results: TypeResults) -> list[list[str]]:
    """The ranking as text rows for documents (numbers written the Vietnamese way)."""
    rows: list[list[str]] = [
        [_("Rank"), _("Unit"), _("Points scored"), _("Maximum"), _("Index (%)"), _("Band")]
    ]
    for row in analysis.ranking(type_results):
        rows.append(
            [
                str(row.rank),
                row.unit_name,
                _n(row.points),
                _n(row.max_points),
                _n(row.index_percent),
                row.band_name,
            ]
        )
    return rows


def area_lost_table(type_results: TypeResults) -> list[list[str]]:
    """Points lost per area over the units: the first table of the appendix."""
    rows: list[list[str]] = [
        [_("Area"), _("Points lost (all units)"), _("Units losing points"), _("Average (%)")]
    ]
    lost = {row.code: row for row in analysis.lost_points(type_results)}
    by_area: dict[str, list[Decimal]] = {}
    for unit in analysis.ranking(type_results):
        for cell in unit.areas:
            if cell.percent is not None:
                by_area.setdefault(cell.code, []).append(cell.percent)
    for code, name in analysis.area_names(type_results):
        row = lost[code]
        percents = by_area.get(code, [])
        rows.append(
            [
                f"{code}. {name}",
                _n(row.lost_points),
                f"{row.units_losing}/{row.units_applicable}",
                _n(analysis.average(percents)),
            ]
        )
    return rows


def criteria_lost_table(type_results: TypeResults, limit: int = 30) -> list[list[str]]:
    """The criteria (leaves) that lost the most points over the units."""
    rows: list[list[str]] = [
        [_("Code"), _("Criterion"), _("Points lost (all units)"), _("Units losing points")]
    ]
    leaves = [row for row in analysis.lost_points(type_results) if row.is_leaf and row.lost_points]
    for row in leaves[:limit]:
        rows.append(
            [row.code, row.name, _n(row.lost_points), f"{row.units_losing}/{row.units_applicable}"]
        )
    return rows


CHART_UNITS = 40  # beyond this a bar per unit is unreadable: chart the areas' averages instead


def _chart(
    number: int, year: int, type_results: TypeResults, rows: list[analysis.RankingRow]
) -> blocks.Chart:
    """The chart of a unit type: each unit's index, or for many units each area's average."""
    if len(rows) <= CHART_UNITS:
        return blocks.Chart(
            labels=[f"{row.rank}. {row.unit_name}" for row in rows],
            values=[row.index_percent for row in rows],
            caption=_("Chart %(n)s. PAR Index %(year)s, %(type)s (%%)")
            % {"n": number, "year": year, "type": type_results.name},
            series_label=_("Index (%)"),
        )
    labels, values = [], []
    for position, (code, name) in enumerate(analysis.area_names(type_results)):
        average = analysis.average(
            [p for row in rows if (p := row.areas[position].percent) is not None]
        )
        if average is not None:
            labels.append(f"{code}. {name}")
            values.append(average)
    return blocks.Chart(
        labels=labels,
        values=values,
        caption=_("Chart %(n)s. Average achievement by area %(year)s, %(type)s (%%)")
        % {"n": number, "year": year, "type": type_results.name},
        series_label=_("Index (%)"),
    )


RANKING_WIDTHS = [15, 70, 20, 20, 20, 20]
RANKING_NUMERIC = frozenset({0, 2, 3, 4})


def report_blocks(results: RoundResults) -> tuple[list[blocks.Block], list[blocks.Block]]:
    """The report on a round's results: its body (summary, rankings with charts) and its
    appendix (the lost-points analysis), which follows the signature."""
    body: list[blocks.Block] = [
        blocks.Heading(_("I. OVERALL RESULTS")),
        blocks.Paragraph(
            _(
                "The %(year)s PAR Index assessment covered %(n)s agencies and units, scored on "
                "the index sets in force, appraised and approved by the appraisal council."
            )
            % {"year": results.year, "n": results.unit_count},
        ),
    ]
    body += [blocks.Paragraph(_type_summary(t)) for t in results.types.values() if t.units]
    body.append(blocks.Heading(_("II. RESULTS BY UNIT TYPE")))
    for number, type_results in enumerate(results.types.values(), start=1):
        rows = analysis.ranking(type_results)
        body.append(blocks.Heading(f"{number}. {type_results.name}", level=2))
        body.append(
            blocks.Table(
                rows=ranking_table(type_results),
                numeric_columns=RANKING_NUMERIC,
                widths_mm=RANKING_WIDTHS,
            )
        )
        body.append(_chart(number, results.year, type_results, rows))
    appendix: list[blocks.Block] = [
        blocks.Heading(_("APPENDIX: ANALYSIS OF LOST POINTS BY AREA AND CRITERION"))
    ]
    for number, type_results in enumerate(results.types.values(), start=1):
        appendix.append(blocks.Heading(f"{number}. {type_results.name}", level=2))
        appendix.append(
            blocks.Table(
                rows=area_lost_table(type_results),
                numeric_columns={1, 2, 3},
                widths_mm=[85, 30, 25, 25],
            )
        )
        appendix.append(
            blocks.Table(
                rows=criteria_lost_table(type_results),
                numeric_columns={2, 3},
                widths_mm=[18, 102, 25, 20],
            )
        )
    return body, appendix


def report_subject(results: RoundResults) -> str:
    return _("Results of the Public Administration Reform Index (PAR Index) %(year)s") % {
        "year": results.year
    }


def report_spec(results: RoundResults, *, today: dt.date) -> blocks.AdminDocument:
    """The report of the Department of Home Affairs, the same for its DOCX and its PDF."""
    from parindex.core.queries import letterhead_settings

    settings = letterhead_settings()
    body, appendix = report_blocks(results)
    return blocks.AdminDocument(
        letterhead=settings.letterhead(kind_code="BC"),
        date=today,
        kind=_("REPORT"),
        subject=report_subject(results),
        note=provisional_note(results),
        blocks=body,
        recipients=[_("Provincial People's Committee (to report);"), _("Archive: VT, CCHC.")],
        signature=settings.signature(),
        appendix=appendix,
    )


def report_pdf(results: RoundResults, *, today: dt.date) -> bytes:
    """The report as PDF: the same document as the DOCX, national header included."""
    from parindex.documents import pdf

    return pdf.build_pdf(report_spec(results, today=today))


def report_docx(results: RoundResults, *, today: dt.date) -> bytes:
    """The report in the administrative format (Decree 30/2020/NĐ-CP) with tables and charts."""
    from parindex.documents import docx

    return docx.build_docx(report_spec(results, today=today))


def decision_spec(results: RoundResults, *, today: dt.date) -> blocks.AdminDocument:
    """The draft decision of the chairman of the provincial People's Committee announcing the
    results (Quyết định công bố Chỉ số CCHC năm …): the number, day and month are left blank
    for the signer; the appendix with the rankings follows the signature."""
    from parindex.core.queries import letterhead_settings

    settings = letterhead_settings()
    letterhead = settings.committee_letterhead(kind_code="QĐ")
    committee = settings.committee_name()
    body: list[blocks.Block] = [
        blocks.Paragraph(
            _("CHAIRMAN OF THE %(committee)s") % {"committee": committee.upper()},
            bold=True,
            align="center",
            indent=False,
        ),
        blocks.Paragraph(
            _("Pursuant to the Law on the Organisation of Local Government;"), italic=True
        ),
        blocks.Paragraph(
            _("Pursuant to the decisions issuing the PAR index sets applied in %(year)s;")
            % {"year": results.year},
            italic=True,
        ),
        blocks.Paragraph(
            _("At the proposal of the Director of the Department of Home Affairs."), italic=True
        ),
        blocks.Paragraph(_("DECIDES:"), bold=True, align="center", indent=False),
        blocks.Paragraph(
            runs=[
                (_("Article 1. "), "b"),
                (
                    _(
                        "To announce the Public Administration Reform Index %(year)s of the "
                        "agencies and units of the province (details in the appendix attached)."
                    )
                    % {"year": results.year},
                    "",
                ),
            ]
        ),
        blocks.Paragraph(
            runs=[
                (_("Article 2. "), "b"),
                (
                    _(
                        "Agencies and units shall analyse the criteria on which they lost points "
                        "and set out remedies in their PAR plan for the following year."
                    ),
                    "",
                ),
            ]
        ),
        blocks.Paragraph(
            runs=[
                (_("Article 3. "), "b"),
                (
                    _(
                        "This decision takes effect from the date of signing. The Chief of "
                        "Office, the Director of the Department of Home Affairs and the heads of "
                        "the agencies and units concerned are responsible for implementing it."
                    ),
                    "",
                ),
            ]
        ),
    ]
    number = letterhead.number.removeprefix("Số:").strip()
    appendix: list[blocks.Block] = [
        blocks.Paragraph(_("APPENDIX"), bold=True, align="center", indent=False),
        blocks.Paragraph(
            _("PAR INDEX %(year)s OF AGENCIES AND UNITS") % {"year": results.year},
            bold=True,
            align="center",
            indent=False,
        ),
        blocks.Paragraph(
            _(
                "(Attached to Decision No. %(number)s dated %(date)s of the Chairman of the "
                "%(body)s)"
            )
            % {
                "number": number,
                "date": blocks.date_line("", None, today.year),
                "body": committee,
            },
            italic=True,
            align="center",
            indent=False,
        ),
    ]
    for index, type_results in enumerate(results.types.values(), start=1):
        appendix.append(blocks.Heading(f"{index}. {type_results.name}", level=2))
        appendix.append(
            blocks.Table(
                rows=ranking_table(type_results),
                numeric_columns=RANKING_NUMERIC,
                widths_mm=RANKING_WIDTHS,
            )
        )
    return blocks.AdminDocument(
        letterhead=letterhead,
        date=None,
        year=today.year,
        kind=_("DECISION"),
        subject=_("On announcing the Public Administration Reform Index %(year)s")
        % {"year": results.year},
        note=provisional_note(results),
        blocks=body,
        recipients=[_("As in Article 3;"), _("Ministry of Home Affairs;"), _("Archive: VT.")],
        signature=settings.decision_signature(),
        appendix=appendix,
    )


def decision_docx(results: RoundResults, *, today: dt.date) -> bytes:
    """The draft decision as a Word document, for the office to send for signature."""
    from parindex.documents import docx

    return docx.build_docx(decision_spec(results, today=today))


def results_xlsx(
    results: RoundResults,
    type_code: str = "",
    scope: Scope = EVERYTHING,
    *,
    unit_sheets: bool | None = None,
) -> bytes:
    """The workbook, streamed (see `parindex.results.workbook`)."""
    from parindex.results import workbook

    return workbook.results_xlsx(results, type_code, scope, unit_sheets=unit_sheets)


def render(
    round_: Round, kind: str, type_code: str = "", scope: Scope = EVERYTHING
) -> tuple[bytes, str]:
    """A document's bytes and file name (ChooseUnitType for a unit type the round lacks)."""
    results = queries.round_results(round_)
    if type_code and type_code not in results.types:
        raise ChooseUnitType(_("The round has no unit type %(code)s.") % {"code": type_code})
    today = timezone.localdate()
    stem = f"ket-qua-{round_.code}" + (f"-{type_code}" if type_code else "")
    if results.is_provisional:
        stem += "-tam-tinh"
    if kind == "csv":
        data = exports.csv_text(exports.machine_rows(csv_type(results, type_code))).encode()
    elif kind == "json":
        data = exports.results_json(results, type_code).encode("utf-8")
    elif kind == "xlsx":
        data = results_xlsx(results, type_code, scope)
    elif kind == "docx":
        data = report_docx(results, today=today)
        stem = f"bao-cao-{stem}"
    elif kind == "decision":
        data = decision_docx(results, today=today)
        stem = f"du-thao-quyet-dinh-{stem}"
    else:
        data = report_pdf(results, today=today)
        stem = f"bao-cao-{stem}"
    return data, f"{stem}.{EXTENSIONS.get(kind, kind)}"


class ChooseUnitType(ValueError):
    """The CSV machine format holds one unit type (its area columns differ between types)."""


def csv_type(results: RoundResults, type_code: str) -> TypeResults:
    """The unit type a CSV is written for: the one asked for, or the round's only one."""
    if type_code:
        if type_code not in results.types:
            raise ChooseUnitType(_("The round has no unit type %(code)s.") % {"code": type_code})
        return results.types[type_code]
    if len(results.types) != 1:
        raise ChooseUnitType(
            _("Choose a unit type (%(codes)s): each has its own area columns.")
            % {"codes": ", ".join(results.types)}
        )
    return next(iter(results.types.values()))


def response(round_: Round, kind: str, type_code: str, scope: Scope) -> HttpResponse:
    """A download response for one of the round's documents, as far as `scope` reaches."""
    data, name = render(round_, kind, type_code, scope)
    reply = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply
