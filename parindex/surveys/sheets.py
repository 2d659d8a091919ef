"""A4 invitation sheets: one cut-out card per one-time link, with its QR code (PDF)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parindex.core.formatting import format_date
from parindex.documents.blocks import AdminDocument, Paragraph, QrCard, QrCards
from parindex.documents.pdf import build_pdf
from parindex.surveys.models import Campaign
from parindex.surveys.services.campaigns import Issued


def invitation_sheets(campaign: Campaign, issued: list[Issued]) -> bytes:
    """The PDF of the cards: unit, group, how to answer, the link, the close date."""
    cards = [
        QrCard(
            item.url,
            (
                item.invitation.unit.name,
                item.invitation.group.name,
                _("Scan the QR code or open the link; it works once. Your answers are anonymous."),
                item.url,
                _("Open until %(day)s") % {"day": format_date(campaign.closes_on)},
            ),
        )
        for item in issued
    ]
    return build_pdf(
        AdminDocument(
            kind=_("SURVEY INVITATIONS"),
            subject=campaign.questionnaire.name,
            blocks=(
                Paragraph(
                    _(
                        "Cut along the dotted lines and hand one card to each respondent. Each "
                        "link can be used once; keep the cards safe until they are handed out."
                    ),
                    italic=True,
                ),
                QrCards(cards),
            ),
        )
    )
