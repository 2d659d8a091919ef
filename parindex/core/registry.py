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
                  103 API · 105 Background jobs
                  110 Inbox
    panels        10 office · 20 unit · 30 appraisal · 40 council · 50 results (viewer)
                  55 monitoring · 60 national
    panel items   office: 10 assessments, 20 results · results: 10 results
    panel charts  office: 10 assessments, 20 results · unit, appraisal, council: 10 assessments
                  results: 10 assessments, 20 results
    search        10 units · 20 criteria · 30 documents
    demo steps    10 units · 20 index sets · 30 accounts · 40 rounds · 50 assessments
                  55 surveys · 60 results · 65 monitoring · 70 national · 90 api

The history (`core.history`) words each audit entry as a sentence from `audit_actions` (one
per action the app records), `audit_objects` (names of its audited objects) and
`audit_field_labels`, which each app fills for its own actions.

Who the user is and what they may do is accounts' business, above core: accounts installs an
`Access` (its permission predicates and role labels) that core asks through `access()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


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
    count: Callable[[Any], int] | None = None  # a number shown beside it (unread messages)

    @property
    def key(self) -> str:
        return self.url_name


# --- the home dashboard --------------------------------------------------------------------------

User = Any  # the project's user model (accounts, above core); AnonymousUser never reaches here


@dataclass(frozen=True)
class Bar:
    """One bar of a dashboard chart: `value` out of `total`, with the numbers written beside it.

    `text` replaces the default "value/total" (e.g. "85,95%"); `action_url` and `action_label`
    put a small form button beside the bar (POST, e.g. "send a reminder").
    """

    label: str
    value: float | int
    total: float | int
    text: str = ""
    url: str = ""
    note: str = ""
    action_url: str = ""
    action_label: str = ""

    @property
    def percent(self) -> float:
        """How full the bar is, 0 to 100 (an empty total draws an empty bar)."""
        if not self.total:
            return 0.0
        return max(0.0, min(100.0, float(self.value) * 100 / float(self.total)))


@dataclass(frozen=True)
class Chart:
    """A titled group of bars on a panel (drawn with CSS bars; the numbers always beside them)."""

    title: str
    bars: tuple[Bar, ...]
    caption: str = ""


@dataclass
class Panel:
    """One block of a role's home dashboard: a title, charts, work items, what to do when empty."""

    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty: str = ""
    action_label: str = ""
    action_url: str = ""
    charts: list[Chart] = field(default_factory=list)


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
class PanelCharts:
    """Charts an app adds to another app's panel (`panel` is that panel's key)."""

    order: int
    panel: str
    name: str
    charts: Callable[[User], list[Chart]]

    @property
    def key(self) -> str:
        return f"{self.panel}/{self.name}"


@dataclass(frozen=True)
class InboxSource:
    """A line about unread messages, put first in the user's first panel (None: nothing unread)."""

    order: int
    key: str
    line: Callable[[User], dict[str, Any] | None]


# --- the header search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One result of the header search: what it is, where it opens, a line of context."""

    label: str
    url: str
    detail: str = ""


class SearchHits:
    """What a source found, for paging: counted without building every hit, and turned into
    `SearchHit`s only for the slice shown. `rows` is a queryset (counted and sliced in the
    database) or a list already in memory; `hit(row)` makes one result of one row."""

    def __init__(self, rows: Any, hit: Callable[[Any], SearchHit]) -> None:
        self._rows = rows
        self._hit = hit
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            rows = self._rows
            self._count = rows.count() if isinstance(rows, QuerySet) else len(rows)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SearchHit]:
        return [self._hit(row) for row in self._rows[index]]


@dataclass(frozen=True)
class SearchSource:
    """A kind of thing the header search finds: `search(user, text)` returns only what the user
    may open (the source applies the same scope as the pages it links to), in its order; the
    search page shows the first few of each kind and pages through one kind."""

    order: int
    key: str
    title: Any  # a (lazy) translated string: "Units", "Criteria", "Documents"
    search: Callable[[User, str], SearchHits]


# --- the demo province ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStep:
    """An app's part of the demo province: the module whose `load(world)` creates it (earlier
    steps ran first) and whose `logins()`, if it has one, lists the (username, description)
    pairs `parindex demo` prints.

    Named, not imported: a demo module imports much of its app (files, services), which no
    other command needs to start (issue 15).
    """

    order: int
    key: str
    module: str

    def load(self, world: SimpleNamespace) -> None:
        import_module(self.module).load(world)

    def logins(self) -> list[tuple[str, str]]:
        logins = getattr(import_module(self.module), "logins", None)
        return logins() if logins is not None else []


# --- the history in sentences ---------------------------------------------------------------


@dataclass(frozen=True)
class AuditAction:
    """How the history tells people about one audited action, or a family ("item.appraised_*").

    `text` is a verb phrase with `%(object)s` (lazily translated): "submitted the
    self-assessment of %(object)s". `detail(entry)` says what changed in words ("" when the
    phrase says it all); without it the history words the entry's old and new values itself.
    """

    action: str
    text: Any
    detail: Callable[[Any], str] | None = None
    order: int = 0

    @property
    def key(self) -> str:
        return self.action


@dataclass(frozen=True)
class AuditObjects:
    """The names people know audited objects of one type by, in bulk: ids -> names."""

    object_type: str
    names: Callable[[list[str]], dict[str, str]]
    order: int = 0

    @property
    def key(self) -> str:
        return self.object_type


# --- the user's access, installed by accounts -----------------------------------------------


@dataclass(frozen=True)
class Access:
    """How core asks about a user: `has(user, permission, obj)` and the labels of their roles."""

    has: Callable[[User, str, Any], bool]
    role_labels: Callable[[User], list[str]]
    role_codes: Callable[[User], list[str]] = lambda user: []


menu: Registry[MenuEntry] = Registry()
dashboard_panels: Registry[DashboardPanel] = Registry()
panel_items: Registry[PanelItems] = Registry()
panel_charts: Registry[PanelCharts] = Registry()
inbox_sources: Registry[InboxSource] = Registry()
search_sources: Registry[SearchSource] = Registry()
demo_steps: Registry[DemoStep] = Registry()
audit_actions: Registry[AuditAction] = Registry()
audit_objects: Registry[AuditObjects] = Registry()
# Labels of the keys found in audited old/new values ("appraiser" -> "thẩm định viên"), which
# each app adds to for its own keys; a key without a label is shown with spaces for "_".
audit_field_labels: dict[str, Any] = {}
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


def charts_of(panel: str) -> list[PanelCharts]:
    """The chart sources added to one panel, in their order."""
    return [source for source in panel_charts if source.panel == panel]
