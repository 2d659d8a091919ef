"""The minutes of the appraisal council's meeting (biên bản họp Hội đồng thẩm định) as DOCX.

Built from the council page's own rows (`queries.council_summary`): who took part, what was
reviewed, each unit's self-assessed and appraised totals and the council's conclusion, in the
form of minutes under Decree 30/2020/NĐ-CP (the secretary signs on the left, the chair on the
right). Times, place and the discussion are left as blanks for the secretary to fill in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.accounts.models import Role, User
from parindex.assessments.pages import CouncilRow
from parindex.core.formatting import format_date, format_number
from parindex.core.vietnamese import sorted_vi
from parindex.documents import blocks
from parindex.rounds.models import Round

BLANK = "…" * 6


def _pts(value: Decimal | None) -> str:
    """A unit's total, with two decimals like the index beside it (72,70, not 72,7)."""
    return format_number(value) if value is not None else ""


def council_members() -> list[str]:
    """The names of the active members of the appraisal council, by name."""
    users = User.objects.filter(role_assignments__role=Role.COUNCIL, is_active=True).distinct()
    return sorted_vi(user.get_full_name() or user.get_username() for user in users)


def _conclusion(row: CouncilRow) -> str:
    assessment = row.assessment
    if assessment.is_approved:
        return _("Approved (%(day)s)") % {"day": format_date(assessment.approved_at)}
    if assessment.status == "finalised":
        return _("To be decided")
    return _("Appraisal not finished")


def minutes_spec(
    round_: Round, rows: Sequence[CouncilRow], members: Sequence[str], *, today: dt.date
) -> blocks.AdminDocument:
    """The minutes of the council's meeting on a round, as of today."""
    from parindex.core.queries import letterhead_settings

    settings = letterhead_settings()
    approved = sum(1 for row in rows if row.assessment.is_approved)
    table: list[list[str]] = [
        [
            _("No."),
            _("Agency or unit"),
            _("Self-assessed"),
            _("Appraised"),
            _("Max"),
            _("Index (%)"),
            _("Adjusted items"),
            _("Open disagreements"),
            _("Council's conclusion"),
        ]
    ]
    for number, row in enumerate(rows, start=1):
        table.append(
            [
                str(number),
                str(row.assessment.unit),
                _pts(row.self_points),
                _pts(row.final_points),
                _pts(row.max_points),
                format_number(row.final_percent) if row.final_percent is not None else "",
                str(row.adjusted),
                str(row.disagreements),
                _conclusion(row),
            ]
        )
    body: list[blocks.Block] = [
        blocks.Heading(_("I. TIME AND PLACE")),
        blocks.Paragraph(
            _("Time: from %(blank)s on %(day)s.") % {"blank": BLANK, "day": format_date(today)}
        ),
        blocks.Paragraph(_("Place: %(blank)s.") % {"blank": BLANK}),
        blocks.Heading(_("II. PARTICIPANTS")),
        blocks.Paragraph(_("Chair: %(blank)s.") % {"blank": BLANK}),
        blocks.Paragraph(_("Secretary: %(blank)s.") % {"blank": BLANK}),
        blocks.Paragraph(
            _("Members of the appraisal council: %(names)s.")
            % {"names": ", ".join(members) if members else BLANK}
        ),
        blocks.Heading(_("III. CONTENT")),
        blocks.Paragraph(
            _(
                "The council reviewed the self-assessed and appraised results of the Public "
                "Administration Reform Index %(year)s of %(n)s agencies and units (round "
                "%(round)s); totals are computed by the scoring engine from the items' values."
            )
            % {"year": round_.year, "n": len(rows), "round": round_.code}
        ),
        blocks.Table(
            rows=table,
            numeric_columns={0, 2, 3, 4, 5, 6, 7},
            widths_mm=[10, 45, 15, 15, 13, 14, 14, 16, 23],
            font_pt=10,
        ),
        blocks.Paragraph(_("Opinions of the members: %(blank)s") % {"blank": BLANK}),
        blocks.Heading(_("IV. CONCLUSION")),
        blocks.Paragraph(
            _(
                "The council approved the appraised results of %(approved)s of %(n)s agencies "
                "and units; the others remain to be decided as shown in the table above."
            )
            % {"approved": approved, "n": len(rows)}
        ),
        blocks.Paragraph(
            _(
                "The meeting ended at %(blank)s on the same day. These minutes were read to the "
                "meeting and agreed by those present."
            )
            % {"blank": BLANK}
        ),
    ]
    return blocks.AdminDocument(
        letterhead=blocks.Letterhead(
            parent_agency=settings.province_committee_short() or _("PROVINCIAL PEOPLE'S COMMITTEE"),
            agency=_("PAR INDEX APPRAISAL COUNCIL"),
            number=_("No.:      /BB-HĐTĐ"),
            place=settings.place or settings.province,
        ),
        date=today,
        kind=_("MINUTES"),
        subject=_("Meeting of the council appraising the PAR Index %(year)s")
        % {"year": round_.year},
        blocks=body,
        countersignature=blocks.Signature(title=_("SECRETARY")),
        signature=blocks.Signature(title=_("CHAIR")),
    )


def minutes_docx(
    round_: Round, rows: Sequence[CouncilRow], members: Sequence[str], *, today: dt.date
) -> bytes:
    """The minutes as a Word document."""
    from parindex.documents import docx

    return docx.build_docx(minutes_spec(round_, rows, members, today=today))
