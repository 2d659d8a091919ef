"""Reads for the page shell, the home dashboards, the audit log and the documents' letterhead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from parindex.core import registry
from parindex.core.models import AuditEntry, Setting
from parindex.core.registry import Panel
from parindex.core.vietnamese_sql import words_in
from parindex.documents.blocks import Letterhead, Signature, signature_for

__all__ = ["Panel"]  # re-exported: the apps build their dashboard panels with it

DEMO_SETTING = "demo"


@dataclass
class NavItem:
    label: str
    url: str
    active: bool
    count: int = 0


class Shell:
    """Lazily computed page-shell data, so pages that do not show the shell pay nothing."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def is_demo(self) -> bool:
        return is_demo()

    @cached_property
    def nav(self) -> list[NavItem]:
        user = self.request.user
        path = self.request.path
        has = registry.access().has
        allowed = [
            entry
            for entry in registry.menu
            if not entry.permission or has(user, entry.permission, None)
        ]
        # The most specific prefix marks the current item (/assessments/inbox/ over /assessments/).
        matching = [
            entry.prefix
            for entry in allowed
            if path.startswith(entry.prefix) and entry.prefix != "/"
        ]
        current = max(matching, key=len) if matching else ("/" if path == "/" else None)
        return [
            NavItem(
                str(entry.label),
                reverse(entry.url_name),
                entry.prefix == current,
                entry.count(user) if entry.count else 0,
            )
            for entry in allowed
        ]

    @cached_property
    def role_labels(self) -> list[str]:
        return registry.access().role_labels(self.request.user)

    @cached_property
    def help_section(self) -> str:
        """The user guide's section the page's "?" opens."""
        from parindex.core import guide

        roles = registry.access().role_codes(self.request.user)
        return guide.section_for(self.request.path, roles)


def is_demo() -> bool:
    """Whether the database holds the illustrative demo province."""
    return Setting.objects.filter(key=DEMO_SETTING, value=True).exists()


def dashboard_panels(user: AbstractBaseUser | AnonymousUser) -> list[Panel]:
    """The home dashboard of a user: one panel per role they hold, listing their pending work.

    The panels, their items and the unread-messages lines come from the apps (`registry`).
    """
    panels: list[Panel] = []
    for entry in registry.dashboard_panels:
        panel = entry.build(user)
        if panel is None:
            continue
        for source in registry.items_of(entry.key):
            panel.items += source.items(user)
        for chart_source in registry.charts_of(entry.key):
            panel.charts += chart_source.charts(user)
        panels.append(panel)
    if panels:
        lines = [line for source in registry.inbox_sources if (line := source.line(user))]
        panels[0].items[:0] = lines
    return panels


@dataclass(frozen=True)
class SearchGroup:
    key: str
    title: str
    hits: list[registry.SearchHit]
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.hits)


SEARCH_PREVIEW = 10  # hits of each kind on the search page; the rest are a page of their own
SEARCH_PER_PAGE = 50


def search_text(text: str) -> str:
    """The typed text as searched (spaces collapsed), or "" when under two characters."""
    text = " ".join(text.split())
    return text if len(text) >= 2 else ""


def search(user: AbstractBaseUser | AnonymousUser, text: str) -> list[SearchGroup]:
    """What the header search finds for a user, grouped by kind (units, criteria, documents).

    Each source returns only what the user may open; each group holds its first
    `SEARCH_PREVIEW` hits and the number found (the rest through `search_kind`).
    """
    text = search_text(text)
    if not text:
        return []
    groups = []
    for source in registry.search_sources:
        hits = source.search(user, text)
        if total := hits.count():
            first = hits[:SEARCH_PREVIEW]
            groups.append(SearchGroup(source.key, str(source.title), first, total))
    return groups


def search_source(key: str) -> registry.SearchSource | None:
    """The kind of search result of that key ("units", "criteria", "documents"), if any."""
    return next((source for source in registry.search_sources if source.key == key), None)


def search_kind(
    user: AbstractBaseUser | AnonymousUser, text: str, source: registry.SearchSource
) -> registry.SearchHits:
    """Everything of one kind the header search finds for a user, to be paged."""
    text = search_text(text)
    if not text:
        return registry.SearchHits([], lambda row: row)
    return source.search(user, text)


@dataclass(frozen=True)
class AuditFilter:
    object_type: str = ""
    object_id: str = ""
    user: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries(filters: AuditFilter) -> QuerySet[AuditEntry]:
    """Audit entries matching the filters, newest first."""
    entries = AuditEntry.objects.select_related("actor")
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.user:
        # the few matching accounts first: folding each entry's actor would cost a call per
        # entry of the log (10^6 of them) on SQLite
        actors = get_user_model().objects.filter(words_in(filters.user, "username", "full_name"))
        entries = entries.filter(actor__in=actors)
    if filters.action:
        entries = entries.filter(action__icontains=filters.action)
    if filters.date_from:
        entries = entries.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(at__date__lte=filters.date_to)
    return entries


def audit_object_types() -> list[str]:
    """The object types present in the audit log, for the filter's choices."""
    return list(
        AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )


# --- the letterhead of generated documents --------------------------------------------------

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
    # The province whose People's Committee issues decisions ("Hà Thanh"), "Tỉnh" or "Thành phố"
    # (a centrally-run city), and who signs the chairman's decisions (the chairman, or a vice
    # chairman for the chairman: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    province: str = ""
    province_level: str = "Tỉnh"
    decision_signer_title: str = "Phó Chủ tịch"
    decision_signer_name: str = ""

    def letterhead(self, *, kind_code: str, parent_agency: str = "", place: str = "") -> Letterhead:
        """The header of a document of one kind ("BC" report): "Số:      /BC-SNV".

        The configured parent agency and place come first, then the caller's, then those of the
        configured province ("UBND TỈNH HÀ THANH", "Hà Thanh")."""
        return Letterhead(
            parent_agency=self.parent_agency or parent_agency or self.province_committee_short(),
            agency=self.agency,
            number=f"Số:      /{kind_code}-{self.agency_code}",
            place=self.place or place or self.province,
        )

    def province_committee_short(self) -> str:
        """ "UBND TỈNH HÀ THANH" (the parent agency above a department), empty if no province."""
        if not self.province:
            return ""
        return f"UBND {self.province_level} {self.province}".upper()

    def committee_letterhead(self, *, kind_code: str) -> Letterhead:
        """The header of the provincial People's Committee or its chairman ("Số:      /QĐ-UBND"):
        "ỦY BAN NHÂN DÂN" over "TỈNH HÀ THANH", no parent agency above it."""
        name = f"{self.province_level} {self.province}" if self.province else ""
        return Letterhead(
            parent_agency="",
            agency="\n".join(filter(None, ["Ủy ban nhân dân", name])).upper(),
            number=f"Số:      /{kind_code}-UBND",
            place=self.place or self.province,
        )

    def committee_name(self) -> str:
        """ "Ủy ban nhân dân tỉnh Hà Thanh", as written in running text."""
        level = self.province_level.lower()
        return f"Ủy ban nhân dân {level} {self.province}" if self.province else "Ủy ban nhân dân"

    def signature(self) -> Signature:
        """The signature block of the agency's head, or of a deputy for the head."""
        title = self.signer_title.strip() or "Giám đốc"
        head = title[4:] if title.lower().startswith("phó ") else title
        return signature_for(head=head, signer=title, name=self.signer_name)

    def decision_signature(self) -> Signature:
        """The signature of a decision the chairman issues: "CHỦ TỊCH" when the chairman signs,
        else "KT. CHỦ TỊCH" over the vice chairman's title (never "TM. ỦY BAN NHÂN DÂN",
        which is for decisions of the committee as a collective body)."""
        return signature_for(
            head="Chủ tịch",
            signer=self.decision_signer_title or "Phó Chủ tịch",
            name=self.decision_signer_name,
        )


def letterhead_settings() -> LetterheadSettings:
    """The configured letterhead (defaults for whatever was never set)."""
    stored = Setting.objects.filter(key=LETTERHEAD_SETTING).values_list("value", flat=True).first()
    known = LetterheadSettings.__dataclass_fields__
    values = {key: str(value) for key, value in (stored or {}).items() if key in known}
    return LetterheadSettings(**values)
