"""Reads for the page shell, the home dashboards and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parindex.accounts import permissions
from parindex.accounts.models import Role, User
from parindex.assessments import dashboard as assessment_dashboard
from parindex.core.models import AuditEntry, Setting
from parindex.indexsets.apps import IndexsetsConfig
from parindex.national.apps import NationalConfig
from parindex.units.apps import UnitsConfig

DEMO_SETTING = "demo"

# (label, url name, permission, url prefix marking the item active). Each app adds its own line.
NAVIGATION: list[tuple[Any, str, str, str]] = [
    (_("Home"), "core:home", "", "/"),
    (assessment_dashboard.NAV_ROUNDS, "rounds:list", "view_rounds", "/rounds/"),
    (assessment_dashboard.NAV_MINE, "assessments:mine", "unit_work", "/assessments/"),
    (
        assessment_dashboard.NAV_APPRAISAL,
        "assessments:queue",
        "appraise",
        "/assessments/appraisal/",
    ),
    (_("Results"), "results:index", "view_results", "/results/"),
    (NationalConfig.verbose_name, "national:overview", "view_national", "/national/"),
    (IndexsetsConfig.verbose_name, "indexsets:list", "view_indexsets", "/indexsets/"),
    (UnitsConfig.verbose_name, "units:list", "view_units", "/units/"),
    (_("Users"), "accounts:user_list", "manage_users", "/accounts/users/"),
    (_("Audit log"), "core:audit", "view_audit", "/audit/"),
    (assessment_dashboard.NAV_INBOX, "assessments:inbox", "", "/assessments/inbox/"),
]


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
        allowed = [
            (label, url_name, prefix)
            for label, url_name, perm, prefix in NAVIGATION
            if not perm or permissions.has(user, perm)
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
        labels = dict(Role.choices)
        return sorted({str(labels[role]) for role in permissions.role_names(self.request.user)})


def is_demo() -> bool:
    """Whether the database holds the illustrative demo province."""
    return Setting.objects.filter(key=DEMO_SETTING, value=True).exists()


@dataclass
class Panel:
    """One block of a role's home dashboard: a title, work items and what to do when empty."""

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty: str = ""
    action_label: str = ""
    action_url: str = ""


def dashboard_panels(user: User) -> list[Panel]:
    """The home dashboard of a user: one panel per role they hold, listing their pending work."""
    from parindex.results.queries import dashboard_items as results_items

    panels: list[Panel] = []
    if permissions.is_office(user):
        panels.append(
            Panel(
                title=str(_("Provincial PAR office")),
                items=assessment_dashboard.office_items(user) + results_items(user),
                empty=str(_("No round is running yet. Start by importing units and index sets.")),
                action_label=str(_("Manage users")),
                action_url=reverse("accounts:user_list"),
            )
        )
    if permissions.unit_ids(user):
        panels.append(
            Panel(
                title=str(_("My unit")),
                items=assessment_dashboard.unit_items(user),
                empty=str(_("Nothing to do for your unit yet: no assessment round is open.")),
            )
        )
    if permissions.has_role(user, Role.APPRAISER):
        panels.append(
            Panel(
                title=str(_("Appraisal")),
                items=assessment_dashboard.appraiser_items(user),
                empty=str(_("No appraisal is assigned to you yet.")),
            )
        )
    if permissions.has_role(user, Role.COUNCIL):
        panels.append(
            Panel(
                title=str(_("Appraisal council")),
                items=assessment_dashboard.council_items(user),
                empty=str(_("No round awaits approval.")),
            )
        )
    if permissions.has_role(user, Role.VIEWER):
        panels.append(
            Panel(
                title=str(_("Results")),
                items=results_items(user),
                empty=str(_("No results have been published yet.")),
            )
        )
    from parindex.national.queries import dashboard_panel as national_panel

    if (panel := national_panel(user)) is not None:
        panels.append(panel)
    if panels and (inbox := assessment_dashboard.inbox_item(user)):
        panels[0].items.insert(0, inbox)
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
