"""The province's self-assessment report for the Ministry: XLSX and DOCX (administrative format)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.assessments import answers
from parindex.assessments.models import Assessment
from parindex.assessments.province import AreaTotal, CompiledLeaf, area_totals, compiled_leaves
from parindex.core.formatting import format_points
from parindex.documents.blocks import AdminDocument, Heading, Paragraph, Table
from parindex.documents.docx import build_docx
from parindex.documents.xlsx import DECIMAL_FORMAT, Sheet, write_xlsx


def _header() -> list[str]:
    return [
        _("Code"),
        _("Criterion"),
        _("Responsible unit"),
        _("Maximum points"),
        _("Self-assessed points"),
        _("Ministry's points"),
        _("Evidence"),
        _("Note"),
    ]


def _leaf_row(leaf: CompiledLeaf) -> list:
    note = leaf.item.note or leaf.item.no_evidence_reason
    value = answers.describe(leaf.item.self_answer) if leaf.item.self_answer is not None else ""
    if value and note:
        note = f"{value}. {note}"
    return [
        leaf.code,
        leaf.name,
        leaf.owner,
        leaf.max_points,
        leaf.self_points,
        leaf.ministry_points,
        "; ".join(leaf.evidence),
        note or value,
    ]


def _totals_rows(totals: list[AreaTotal]) -> list[list]:
    rows: list[list] = [
        [_("Area"), _("Name"), _("Maximum points"), _("Self-assessed points"), _("Final points")]
    ]
    for total in totals:
        rows.append(
            [total.code, total.name, total.max_points, total.self_points, total.final_points]
        )
    rows.append(
        [
            "",
            _("Total"),
            sum((t.max_points for t in totals if t.max_points > 0), Decimal(0)),
            sum((t.self_points for t in totals), Decimal(0)),
            sum((t.final_points for t in totals), Decimal(0)),
        ]
    )
    return rows


def report_xlsx(assessment: Assessment) -> bytes:
    """The criteria with maximum, self points, evidence and notes; a sheet of totals per area."""
    leaves = compiled_leaves(assessment)
    points = {3: DECIMAL_FORMAT, 4: DECIMAL_FORMAT, 5: DECIMAL_FORMAT}
    return write_xlsx(
        [
            Sheet(
                title=_("Self-assessment"),
                rows=[_header(), *(_leaf_row(leaf) for leaf in leaves)],
                number_formats=points,
                widths={1: 60, 6: 50, 7: 40},
            ),
            Sheet(
                title=_("Totals per area"),
                rows=_totals_rows(area_totals(assessment, leaves)),
                number_formats={2: DECIMAL_FORMAT, 3: DECIMAL_FORMAT, 4: DECIMAL_FORMAT},
            ),
        ]
    )


def _pts(value: Decimal | None) -> str:
    return format_points(value) if value is not None else ""


def report_docx(assessment: Assessment, *, today: dt.date | None = None) -> bytes:
    """The province's self-assessment report in the administrative format, for the Ministry."""
    from parindex.core.queries import letterhead_settings

    leaves = compiled_leaves(assessment)
    totals = area_totals(assessment, leaves)
    settings = letterhead_settings()
    year = assessment.round.year
    self_total = sum((t.self_points for t in totals), Decimal(0))
    blocks: list = [
        Paragraph(
            _(
                "%(unit)s reports the results of its self-assessment of the Public Administration "
                "Reform Index of %(year)d on the index set %(set)s: %(points)s points in total."
            )
            % {
                "unit": assessment.unit.name,
                "year": year,
                "set": assessment.index_set.code,
                "points": format_points(self_total),
            }
        ),
        Heading(_("I. Totals per area")),
        Table(
            rows=[[_("Area"), _("Name"), _("Max."), _("Self"), _("Final")]]
            + [
                [t.code, t.name, _pts(t.max_points), _pts(t.self_points), _pts(t.final_points)]
                for t in totals
            ],
            numeric_columns={2, 3, 4},
            widths_mm=[14, 96, 20, 20, 20],
            font_pt=12,
        ),
        Heading(_("II. Self-assessment per criterion")),
        Table(
            rows=[[_("Code"), _("Criterion"), _("Max."), _("Self"), _("Evidence"), _("Note")]]
            + [
                [
                    leaf.code,
                    leaf.name,
                    _pts(leaf.max_points),
                    _pts(leaf.self_points),
                    "; ".join(leaf.evidence),
                    leaf.item.note or leaf.item.no_evidence_reason,
                ]
                for leaf in leaves
            ],
            numeric_columns={2, 3},
            widths_mm=[14, 80, 16, 16, 70, 54],
            font_pt=11,
        ),
    ]
    spec = AdminDocument(
        letterhead=settings.letterhead(kind_code="BC", place=assessment.unit.name),
        date=today or timezone.localdate(),
        kind=_("Report"),
        subject=_("Self-assessment of the Public Administration Reform Index of %(year)d")
        % {"year": year},
        blocks=blocks,
        recipients=[_("The Ministry of Home Affairs;"), _("Archive: office, PAR division.")],
        signature=settings.signature(),
        landscape=True,
    )
    return build_docx(spec)
