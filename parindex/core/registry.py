"""What core learns from the apps above it: menu, dashboard, inbox lines, demo steps, access.

Core sits low in the layers (engine and documents; core; accounts; jobs; units; indexsets; rounds;
assessments; monitoring and surveys; results; national; api) and never imports an app above it.
Each app tells core what it contributes from its `AppConfig.ready()`:

    from parindex.core import registry
    registry.menu.add(registry.MenuEntry(20, _("Rounds"), "rounds:list", "/rounds/", "view_rounds"))

and the page shell, the home dashboard and `parindex demo` read the registries. Entries are
read in their `order` (then key), whatever order the apps registered them in; adding an entry
again under the same key replaces it. The orders in use:

    menu          10 Home · 20 Rounds · 30 My assessments · 40 Appraisal · 43 Monitoring
                  45 Surveys · 50 Results
                  60 National PAR Index · 70 Index sets · 80 Units · 90 Users · 100 Audit log
                  105 Background jobs
                  110 Inbox
    panels        10 office · 20 unit · 30 appraisal · 40 council · 50 results (viewer)
                  55 monitoring · 60 national
    panel items   office: 10 assessments, 20 results · results: 10 results
    demo steps    10 units · 20 index sets · 30 accounts · 40 rounds · 50 assessments
                  55 surveys · 60 results · 65 monitoring · 70 national

Who the user is and what they may do is accounts' business, above core: accounts installs an
`Access` (its permission predicates and role labels) that core asks through `access()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured


class _Entry(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


E = TypeVar("E", bound=_Entry)


class Registry(Generic[E]):
    """Entries keyed by name, read in their order (then key)."""

    def __init__(self) -> None:
        self._entries: dict[str, E] = {}

    def add(self, entry: E) -> E:
        """Register an entry (again under the same key: replace it)."""
        self._entries[entry.key] = entry
        return entry

    def __iter__(self) -> Iterator[E]:
        return iter(sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key)))

    def __len__(self) -> int:
        return len(self._entries)


# --- the menu ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuEntry:
    """One item of the main menu, shown to the users holding `permission` (everyone when "")."""

    order: int
    label: Any  # a (lazy) translated string
    url_name: str
    prefix: str  # the URL prefix that marks the item active (the longest matching one wins)
    permission: str = ""

    @property
    def key(self) -> str:
        return self.url_name


# --- the home dashboard --------------------------------------------------------------------------

User = Any  # the project's user model (accounts, above core); AnonymousUser never reaches here


@dataclass
class Panel:
    """One block of a role's home dashboard: a title, work items and what to do when empty."""

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty: str = ""
    action_label: str = ""
    action_url: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of the home dashboard: `build` makes it for a user, or None if they don't see it."""

    order: int
    key: str
    build: Callable[[User], Panel | None]


@dataclass(frozen=True)
class PanelItems:
    """Work items an app adds to another app's panel (`panel` is that panel's key).

    Each item is a dict `{"label", "url", "deadline"}` (deadline optional).
    """

    order: int
    panel: str
    name: str
    items: Callable[[User], list[dict[str, Any]]]

    @property
    def key(self) -> str:
        return f"{self.panel}/{self.name}"


@dataclass(frozen=True)
class InboxSource:
    """A line about unread messages, put first in the user's first panel (None: nothing unread)."""

    order: int
    key: str
    line: Callable[[User], dict[str, Any] | None]


# --- the demo province ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStep:
    """An app's part of the demo province: `load(world)` creates it (earlier steps ran first).

    `logins`, if given, lists the (username, description) pairs `parindex demo` prints.
    """

    order: int
    key: str
    load: Callable[[SimpleNamespace], None]
    logins: Callable[[], list[tuple[str, str]]] | None = None


# --- the user's access, installed by accounts -----------------------------------------------


@dataclass(frozen=True)
class Access:
    """How core asks about a user: `has(user, permission, obj)` and the labels of their roles."""

    has: Callable[[User, str, Any], bool]
    role_labels: Callable[[User], list[str]]


menu: Registry[MenuEntry] = Registry()
dashboard_panels: Registry[DashboardPanel] = Registry()
panel_items: Registry[PanelItems] = Registry()
inbox_sources: Registry[InboxSource] = Registry()
demo_steps: Registry[DemoStep] = Registry()
_access: list[Access] = []


def install_access(access: Access) -> None:
    """Install the permission checks and role labels core asks (accounts does, once)."""
    _access[:] = [access]


def access() -> Access:
    """The installed access checks (accounts must be installed)."""
    if not _access:
        raise ImproperlyConfigured("No app installed the access checks: add parindex.accounts.")
    return _access[0]


def items_of(panel: str) -> list[PanelItems]:
    """The item sources added to one panel, in their order."""
    return [source for source in panel_items if source.panel == panel]
