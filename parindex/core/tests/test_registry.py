"""Core learns the menu, dashboard, inbox lines and demo steps from the apps' registrations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from parindex.accounts import permissions
from parindex.core import queries, registry
from parindex.core.registry import Panel
from parindex.rounds import participants


@dataclass(frozen=True)
class Entry:
    order: int
    key: str
    value: int = 0


@given(st.lists(st.tuples(st.integers(-5, 5), st.sampled_from("abcdef"), st.integers())))
def test_a_registry_reads_its_entries_in_order_the_last_registration_of_a_key_winning(adds):
    entries: registry.Registry[Entry] = registry.Registry()
    for order, key, value in adds:
        entries.add(Entry(order, key, value))
    latest = {key: Entry(order, key, value) for order, key, value in adds}
    assert list(entries) == sorted(latest.values(), key=lambda entry: (entry.order, entry.key))
    assert len(entries) == len(latest)


def test_the_menu_keeps_its_order_whatever_order_the_apps_registered_in():
    assert [entry.url_name for entry in registry.menu] == [
        "core:home",
        "rounds:list",
        "assessments:mine",
        "assessments:queue",
        "monitoring:index",
        "surveys:index",
        "results:index",
        "national:overview",
        "indexsets:list",
        "units:list",
        "accounts:user_list",
        "core:audit",
        "api:tokens",
        "jobs:list",
        "assessments:inbox",
    ]
    for entry in registry.menu:
        assert reverse(entry.url_name).startswith(entry.prefix)


def test_the_dashboard_panels_and_their_items_come_in_their_places():
    assert [entry.key for entry in registry.dashboard_panels] == [
        "office",
        "unit",
        "appraisal",
        "council",
        "results",
        "monitoring",
        "national",
    ]
    assert [source.name for source in registry.items_of("office")] == ["assessments", "results"]
    assert [source.name for source in registry.items_of("results")] == ["results"]


def test_the_demo_steps_run_in_the_order_their_data_needs():
    assert [step.key for step in registry.demo_steps] == [
        "units",
        "indexsets",
        "accounts",
        "rounds",
        "assessments",
        "surveys",
        "results",
        "monitoring",
        "national",
        "api",
    ]


def test_the_dashboard_puts_unread_lines_first_in_the_first_panel_shown(monkeypatch):
    panels: registry.Registry[registry.DashboardPanel] = registry.Registry()
    items: registry.Registry[registry.PanelItems] = registry.Registry()
    inbox: registry.Registry[registry.InboxSource] = registry.Registry()
    panels.add(registry.DashboardPanel(20, "second", lambda user: Panel(title="B")))
    panels.add(registry.DashboardPanel(10, "hidden", lambda user: None))
    panels.add(registry.DashboardPanel(30, "third", lambda user: Panel(title="C")))
    items.add(registry.PanelItems(20, "second", "late", lambda user: [{"label": "2"}]))
    items.add(registry.PanelItems(10, "second", "early", lambda user: [{"label": "1"}]))
    items.add(registry.PanelItems(10, "hidden", "never", lambda user: [{"label": "x"}]))
    inbox.add(registry.InboxSource(10, "mail", lambda user: {"label": "unread"}))
    inbox.add(registry.InboxSource(20, "none", lambda user: None))
    monkeypatch.setattr(registry, "dashboard_panels", panels)
    monkeypatch.setattr(registry, "panel_items", items)
    monkeypatch.setattr(registry, "inbox_sources", inbox)
    shown = queries.dashboard_panels(object())
    assert [(panel.title, [item["label"] for item in panel.items]) for panel in shown] == [
        ("B", ["unread", "1", "2"]),
        ("C", []),
    ]


def test_no_panel_means_no_unread_line(monkeypatch):
    inbox: registry.Registry[registry.InboxSource] = registry.Registry()
    asked = []
    inbox.add(registry.InboxSource(10, "mail", lambda user: asked.append(user)))
    monkeypatch.setattr(registry, "dashboard_panels", registry.Registry())
    monkeypatch.setattr(registry, "inbox_sources", inbox)
    assert queries.dashboard_panels(object()) == []
    assert asked == []


def test_core_asks_the_access_accounts_installed(monkeypatch):
    assert registry.access().has is permissions.has
    monkeypatch.setattr(registry, "_access", [])
    with pytest.raises(ImproperlyConfigured, match="parindex.accounts"):
        registry.access()


def test_rounds_reach_their_assessments_only_once_the_port_is_filled(monkeypatch):
    assert participants.participants().statuses[0][0] == "draft"
    monkeypatch.setattr(participants, "_installed", [])
    with pytest.raises(ImproperlyConfigured, match="parindex.assessments"):
        participants.participants()


def test_appraisal_cells_come_from_rounds(monkeypatch, appraiser):
    monkeypatch.setattr(permissions, "_appraisal_cells", [])
    with pytest.raises(ImproperlyConfigured, match="parindex.rounds"):
        permissions.appraiser_scope(appraiser)
    monkeypatch.setattr(permissions, "_appraisal_cells", [lambda user: [(1, 2, 3)]])
    assert permissions.appraiser_scope(appraiser) == frozenset({(1, 2, 3)})
