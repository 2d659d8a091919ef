"""Reads for documents: the letterhead every generated document is issued under."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.core.models import Setting
from parindex.documents.docx import Letterhead, Signature

LETTERHEAD_SETTING = "documents.letterhead"


@dataclass(frozen=True)
class LetterheadSettings:
    """The issuing agency's details as configured (empty fields fall back to the caller's)."""

    parent_agency: str = ""
    agency: str = "Sở Nội vụ"
    agency_code: str = "SNV"
    place: str = ""
    signer_title: str = "Giám đốc"
    signer_name: str = ""

    def letterhead(self, *, kind_code: str, parent_agency: str = "", place: str = "") -> Letterhead:
        """The header of a document of one kind ("BC" report): "Số:      /BC-SNV"."""
        return Letterhead(
            parent_agency=self.parent_agency or parent_agency,
            agency=self.agency,
            number=f"Số:      /{kind_code}-{self.agency_code}",
            place=self.place or place,
        )

    def signature(self) -> Signature:
        """The signature block of the agency's head."""
        return Signature(title=self.signer_title, name=self.signer_name)


def letterhead_settings() -> LetterheadSettings:
    """The configured letterhead (defaults for whatever was never set)."""
    stored = Setting.objects.filter(key=LETTERHEAD_SETTING).values_list("value", flat=True).first()
    known = LetterheadSettings.__dataclass_fields__
    values = {key: str(value) for key, value in (stored or {}).items() if key in known}
    return LetterheadSettings(**values)
