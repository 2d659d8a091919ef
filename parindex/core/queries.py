"""Reads for the page shell, the home dashboards, the audit log and the documents' letterhead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from parindex.core import registry
from parindex.core.models import AuditEntry, Setting
from parindex.core.registry import Panel
from parindex.documents.docx import Letterhead, Signature

__all__ = ["Panel"]  # re-exported: the apps build their dashboard panels with it

DEMO_SETTING = "demo"


@dataclass
class NavItem:
    label: str
    url: str
    active: bool


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
            (entry.label, entry.url_name, entry.prefix)
            for entry in registry.menu
            if not entry.permission or has(user, entry.permission, None)
        ]
        # The most specific prefix marks the current item (/assessments/inbox/ over /assessments/).
        matching = [
            prefix for *_rest, prefix in allowed if path.startswith(prefix) and prefix != "/"
        ]
        current = max(matching, key=len) if matching else ("/" if path == "/" else None)
        return [
            NavItem(str(label), reverse(url_name), prefix == current)
            for label, url_name, prefix in allowed
        ]

    @cached_property
    def role_labels(self) -> list[str]:
        return registry.access().role_labels(self.request.user)


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
        panels.append(panel)
    if panels:
        lines = [line for source in registry.inbox_sources if (line := source.line(user))]
        panels[0].items[:0] = lines
    return panels


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
        entries = entries.filter(
            Q(actor__username__icontains=filters.user) | Q(actor__full_name__icontains=filters.user)
        )
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
