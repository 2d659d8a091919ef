"""Reads for the unit registry: the list and the tree, a unit's page, and lineage across years.

Other modules compare units across years with `predecessors_on` (or `predecessors_on_many` for a
whole page of units): "C in 2026 against A and B in 2024".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst

from parindex.accounts import permissions
from parindex.accounts.models import UNIT_ROLES, RoleAssignment
from parindex.accounts.types import AnyUser
from parindex.core import history
from parindex.core.formatting import format_date
from parindex.core.models import AuditEntry
from parindex.core.vietnamese import sort_key
from parindex.core.vietnamese_sql import vietnamese_order, words_in
from parindex.units.models import PeerGroup, Reorganisation, ReorganisationUnit, Unit, UnitType

PREDECESSOR = ReorganisationUnit.Role.PREDECESSOR
SUCCESSOR = ReorganisationUnit.Role.SUCCESSOR

# A lineage never runs deeper than this many reorganisations back or forward (a guard, not a rule).
MAX_LINEAGE_DEPTH = 20


PICKER_ORDER = ("unit_type__order", "code")  # how a unit picker lists the units it offers


def today() -> dt.date:
    """Today in the site's time zone."""
    return timezone.localdate()


def reference_day(day: dt.date | int) -> dt.date:
    """The day that stands for a year: 31 December, when the year's assessment covers the units
    that exist at its end (a date is returned unchanged)."""
    if isinstance(day, int):
        return dt.date(day, 12, 31)
    return day


def active_on(day: dt.date, prefix: str = "") -> Q:
    """Condition for units that existed on `day` (`prefix` reaches them through a relation)."""
    return (
        Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": day})
    ) & (Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gt": day}))


# --- the registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFilter:
    """What the registry shows: `day` None means every unit, whatever its dates."""

    search: str = ""
    unit_type: str = ""
    peer_group: str = ""
    parent: str = ""
    day: dt.date | None = None


UNIT_SORTS = {
    "code": ("code",),
    "name": ("name",),
    "type": ("unit_type__order", "code"),
    "parent": ("parent__name", "code"),
    "peer": ("peer_group__name", "code"),
    "from": ("active_from", "code"),
    "to": ("active_to", "code"),
    "children": ("children_count", "code"),
}


ALPHABETICAL = {"name", "parent__name", "peer_group__name"}  # sorted as Vietnamese is


def _sorting(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    fields = UNIT_SORTS.get(sort.lstrip("-"), UNIT_SORTS["type"])
    ordered = [f"-{name}" if descending else name for name in fields]
    return [
        vietnamese_order(field) if field.lstrip("-") in ALPHABETICAL else field for field in ordered
    ]


def filtered_units(filters: UnitFilter, sort: str = "type") -> QuerySet[Unit]:
    """Units matching the registry's filters, each with its count of (active) child units."""
    child_filter = active_on(filters.day, "children__") if filters.day else Q()
    units = Unit.objects.select_related("unit_type", "parent", "peer_group").annotate(  # type: ignore[no-redef]  # noqa: E501  # the annotation is the declared attribute
        children_count=Count("children", filter=child_filter)
    )
    if filters.search:
        units = units.filter(words_in(filters.search, "code", "name"))
    if filters.unit_type:
        units = units.filter(unit_type__code=filters.unit_type)
    if filters.peer_group == "-":
        units = units.filter(peer_group__isnull=True)
    elif filters.peer_group:
        units = units.filter(peer_group__code=filters.peer_group)
    if filters.parent:
        parents = _parents_on(filters.day)
        if parents is None:
            units = units.filter(parent__code=filters.parent)
        else:  # the units under it on that past day, including those moved away since
            wanted = Unit.objects.filter(code=filters.parent).values_list("pk", flat=True).first()
            units = units.filter(pk__in=[pk for pk, up in parents.items() if up == wanted])
    if filters.day:
        units = units.filter(active_on(filters.day))
    return units.order_by(*_sorting(sort), "id")


def units_for_reader(user: AnyUser, filters: UnitFilter, sort: str = "type") -> QuerySet[Unit]:
    """The registry as a signed-in user may read it (403 for a user with no role)."""
    if not permissions.can_view_units(user):
        raise PermissionDenied
    return filtered_units(filters, sort)


def unit_types_with_counts(day: dt.date | None = None) -> QuerySet[UnitType]:
    """Unit types in order, each with its number of units (existing on `day` when given)."""
    unit_filter = active_on(day, "units__") if day else Q()
    counted = UnitType.objects.annotate(unit_count=Count("units", filter=unit_filter))
    return counted.order_by("order", "code")


def peer_groups_with_counts(day: dt.date | None = None) -> QuerySet[PeerGroup]:
    """Peer groups, each with its number of units (existing on `day` when given)."""
    unit_filter = active_on(day, "units__") if day else Q()
    counted = PeerGroup.objects.annotate(unit_count=Count("units", filter=unit_filter))
    return counted.order_by("code")


def _earliest_after(
    day: dt.date, kinds: tuple[str, ...], units: Iterable[int] | None = None
) -> dict[str, dict[int, Any]]:
    """For each kind (rename, move) and each unit changed that way after `day`, what the earliest
    such change recorded as before: the unit's name (or parent id) on `day`. One query."""
    links = ReorganisationUnit.objects.filter(
        role=PREDECESSOR, reorganisation__kind__in=kinds, reorganisation__effective_date__gt=day
    )
    if units is not None:
        links = links.filter(unit_id__in=units)
    rows = links.order_by("-reorganisation__effective_date", "-reorganisation_id").values_list(
        "reorganisation__kind",
        "unit_id",
        "reorganisation__old_name",
        "reorganisation__old_parent_id",
    )
    found: dict[str, dict[int, Any]] = {kind: {} for kind in kinds}
    for kind, unit_id, old_name, old_parent in rows:  # latest first, so the earliest wins
        found[kind][unit_id] = old_name if kind == "rename" else old_parent
    return found


def as_of(units: list[Unit], day: dt.date | None) -> list[Unit]:
    """Give each unit `name_then` and `parent_then`: its name and parent on `day`, undoing the
    renames and moves recorded since (two queries at most; today's values when `day` is None)."""
    for unit in units:
        unit.name_then, unit.parent_then = unit.name, unit.parent
    if day is None or day >= today() or not units:
        return units
    by_id = {unit.pk: unit for unit in units}
    changed = _earliest_after(day, ("rename", "move"), by_id)
    for unit_id, old_name in changed["rename"].items():
        by_id[unit_id].name_then = old_name
    moves = changed["move"]
    wanted = {parent for parent in moves.values() if parent}
    parents = Unit.objects.in_bulk(wanted) if wanted else {}
    for unit_id, old_parent in moves.items():
        by_id[unit_id].parent_then = parents.get(old_parent)
    return units


def tree_level(parent: Unit | None, day: dt.date | None) -> list[Unit]:
    """One level of the hierarchy under `parent` (the roots when None) as it stood on `day`, with
    the number of units under each; names and parents changed since are shown as they were."""
    units = filtered_units(UnitFilter(day=day), "type")
    parents = _parents_on(day)
    if parents is None:
        level = units.filter(parent__isnull=True) if parent is None else units.filter(parent=parent)
        return as_of(list(level), day)
    wanted = parent.pk if parent is not None else None
    rows = list(units.filter(pk__in=[pk for pk, up in parents.items() if up == wanted]))
    return as_of(_recount(rows, parents), day)


def _parents_on(day: dt.date | None) -> dict[int, int | None] | None:
    """Unit id -> parent id on a past `day` for the units existing then, when units have moved
    since (None when today's parents are that day's parents too)."""
    if day is None or day >= today():
        return None
    moves = _earliest_after(day, ("move",))["move"]
    if not moves:
        return None
    parents: dict[int, int | None] = dict(
        Unit.objects.filter(active_on(day)).values_list("pk", "parent_id")
    )
    for unit_id, old_parent in moves.items():
        if unit_id in parents:
            parents[unit_id] = old_parent
    return parents


def _recount(units: list[Unit], parents: dict[int, int | None]) -> list[Unit]:
    counts = Counter(parents.values())
    for unit in units:
        unit.children_count = counts[unit.pk]
    return units


def registry_page(units: list[Unit], day: dt.date | None) -> list[Unit]:
    """A page of the registry as it stood on `day`: names, parents and counts of that day."""
    parents = _parents_on(day)
    return as_of(units if parents is None else _recount(units, parents), day)


def get_unit_for_reader(user: AnyUser, pk: int) -> Unit:
    """One unit, for anyone who may read the registry (404 if missing, 403 otherwise)."""
    if not permissions.can_view_units(user):
        raise PermissionDenied
    return get_object_or_404(
        Unit.objects.select_related("unit_type", "parent", "peer_group"), pk=pk
    )


def get_unit_for_manager(user: AnyUser, pk: int) -> Unit:
    """One unit, for the office that may change units (404 if missing, 403 otherwise)."""
    if not permissions.can_manage_units(user):
        raise PermissionDenied
    return get_object_or_404(
        Unit.objects.select_related("unit_type", "parent", "peer_group"), pk=pk
    )


def get_unit_type_for_manager(user: AnyUser, pk: int) -> UnitType:
    """One unit type, for the office (404 if missing, 403 otherwise)."""
    if not permissions.can_manage_units(user):
        raise PermissionDenied
    return get_object_or_404(UnitType, pk=pk)


def get_peer_group_for_manager(user: AnyUser, pk: int) -> PeerGroup:
    """One peer group, for the office (404 if missing, 403 otherwise)."""
    if not permissions.can_manage_units(user):
        raise PermissionDenied
    return get_object_or_404(PeerGroup, pk=pk)


def unit_users(unit: Unit) -> QuerySet[RoleAssignment]:
    """The unit's editor and head accounts, with their users."""
    return (
        RoleAssignment.objects.filter(unit=unit, role__in=UNIT_ROLES)
        .select_related("user")
        .order_by("role", "user__username")
    )


@dataclass
class HistoryRow:
    """One audit entry about a unit, its changes as (field label, old, new) in readable words."""

    entry: AuditEntry
    changes: list[tuple[str, str, str]]
    text: str = ""  # the entry as a sentence (core.history)


def _readable(value: object) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _field_label(name: str) -> str:
    try:
        return capfirst(str(getattr(Unit._meta.get_field(name), "verbose_name", name)))
    except FieldDoesNotExist:
        return name


def unit_history(unit: Unit, limit: int = 30) -> list[HistoryRow]:
    """The latest audit entries about a unit, newest first, with their changes spelled out."""
    entries = AuditEntry.objects.filter(object_type="units.unit", object_id=str(unit.pk))
    rows = []
    for line in history.describe(entries.select_related("actor")[:limit]):
        entry = line.entry
        old = entry.old if isinstance(entry.old, dict) else {}
        new = entry.new if isinstance(entry.new, dict) else {}
        changes = [
            (_field_label(key), _readable(old.get(key)), _readable(new.get(key)))
            for key in dict.fromkeys([*old, *new])
            if old.get(key) not in (None, "") or new.get(key) not in (None, "")
        ]
        rows.append(HistoryRow(entry=entry, changes=changes, text=line.text))
    return rows


def unit_children(unit: Unit, day: dt.date) -> QuerySet[Unit]:
    """The units directly under `unit` that exist on `day`."""
    return unit.children.filter(active_on(day)).select_related("unit_type", "peer_group")


# --- lineage --------------------------------------------------------------------------------------

Link = tuple[int, dt.date, int, str]  # (reorganisation id, effective date, unit id, role)


def _step_links(frontier: set[int], day: dt.date, backward: bool) -> list[Link]:
    """Every link of the reorganisations that lead from `frontier` one step back (or forward)."""
    if backward:
        through = ReorganisationUnit.objects.filter(
            role=SUCCESSOR, unit_id__in=frontier, reorganisation__effective_date__gt=day
        )
    else:
        through = ReorganisationUnit.objects.filter(
            role=PREDECESSOR, unit_id__in=frontier, reorganisation__effective_date__lte=day
        )
    return list(
        ReorganisationUnit.objects.filter(
            reorganisation_id__in=through.values("reorganisation_id")
        ).values_list("reorganisation_id", "reorganisation__effective_date", "unit_id", "role")
    )


def _reachable(
    start: Iterable[int], day: dt.date, backward: bool, links: list[Link] | None = None
) -> dict[int, set[int]]:
    """For each start unit, every unit reached by walking reorganisations back (or forward) in
    time across `day`. Reads the database one step at a time unless `links` are given."""
    reach: dict[int, set[int]] = {unit: {unit} for unit in start}
    origins: dict[int, set[int]] = defaultdict(set)  # unit id -> start units that reached it
    for unit in reach:
        origins[unit].add(unit)
    frontier = set(reach)
    for _depth in range(MAX_LINEAGE_DEPTH):
        if not frontier:
            break
        step = links if links is not None else _step_links(frontier, day, backward)
        by_event: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for event_id, effective, unit_id, role in step:
            crosses = effective > day if backward else effective <= day
            if crosses:
                by_event[event_id][role].add(unit_id)
        here, there = (SUCCESSOR, PREDECESSOR) if backward else (PREDECESSOR, SUCCESSOR)
        next_frontier: set[int] = set()
        for roles in by_event.values():
            entering = roles[here] & frontier
            if not entering:
                continue
            sources = set().union(*(origins[unit] for unit in entering))
            for unit in roles[there]:
                new_sources = sources - origins[unit]
                if new_sources:
                    origins[unit] |= new_sources
                    for source in new_sources:
                        reach[source].add(unit)
                    next_frontier.add(unit)
        frontier = next_frontier
    return reach


def _counterparts_on_many(
    units: Iterable[Unit], day: dt.date | int, backward: bool
) -> dict[int, list[Unit]]:
    day = reference_day(day)
    given = {unit.pk: unit for unit in units}
    reach = _reachable(given, day, backward)
    wanted = set().union(*reach.values()) if reach else set()
    missing = wanted - set(given)
    found = dict(given)
    if missing:
        found.update(Unit.objects.select_related("unit_type").in_bulk(missing))
    result: dict[int, list[Unit]] = {}
    for start, reached in reach.items():
        then = [found[pk] for pk in reached if pk in found and found[pk].is_active_on(day)]
        if len(then) > 1:  # most units came from themselves alone: no name to fold
            then.sort(key=lambda unit: (sort_key(unit.name), unit.code))
        result[start] = then
    return result


def predecessors_on_many(units: Iterable[Unit], day: dt.date | int) -> dict[int, list[Unit]]:
    """For each unit (by id), the units that existed on `day` (or at the end of that year) and
    became it, wholly or in part, through the reorganisations since; a unit that itself existed
    then is among them. A few queries whatever the number of units (one per step of lineage)."""
    return _counterparts_on_many(units, day, backward=True)


def predecessor_codes_on_many(units: Iterable[Unit], day: dt.date | int) -> dict[int, list[str]]:
    """`predecessors_on_many` as codes, in code order, a unit's own first when it existed then:
    what a year's results are matched by. Reads only the codes: after the 2025 merger each of
    3,300 communes came from three, and loading and sorting those units by name cost more
    than the lineage itself."""
    day = reference_day(day)
    given = {unit.pk: unit for unit in units}
    reach = _reachable(given, day, backward=True)
    codes = {pk: unit.code for pk, unit in given.items() if unit.is_active_on(day)}
    missing = set().union(*reach.values()) - set(given) if reach else set()
    if missing:
        existing = Unit.objects.filter(active_on(day), pk__in=missing)
        codes.update(existing.values_list("pk", "code"))
    result = {}
    for start, reached in reach.items():
        own = [codes[start]] if start in codes else []
        result[start] = own + sorted(codes[pk] for pk in reached if pk in codes and pk != start)
    return result


def predecessors_on(unit: Unit, day: dt.date | int) -> list[Unit]:
    """The units that existed on an earlier `day` (or at the end of an earlier year, given as an
    int) and became `unit` through merges, splits and renames since: [A, B] for C = A + B, [A] for
    B split off A, the unit itself when it existed then. Empty when nothing it came from existed.
    Year-over-year pages use it to show "C in 2026 against A and B in 2024"."""
    return predecessors_on_many([unit], day)[unit.pk]


def successors_on_many(units: Iterable[Unit], day: dt.date | int) -> dict[int, list[Unit]]:
    """For each unit (by id), the units existing on a later `day` that it became, wholly or in
    part (itself when it still exists then)."""
    return _counterparts_on_many(units, day, backward=False)


def successors_on(unit: Unit, day: dt.date | int) -> list[Unit]:
    """The units existing on a later `day` (or at the end of that year) that `unit` became."""
    return successors_on_many([unit], day)[unit.pk]


@dataclass
class LineageYear:
    year: int
    units: list[Unit]
    is_self: bool


@dataclass
class Lineage:
    """A unit's reorganisations, earliest first, and its counterparts at the end of each year."""

    unit: Unit
    events: list[Reorganisation] = field(default_factory=list)
    years: list[LineageYear] = field(default_factory=list)


def _line_event_ids(unit: Unit, backward: bool) -> set[int]:
    """The reorganisations that led to `unit` (backward) or that it led to (forward), at any
    distance; a sibling's own history (the other half of a split) is left out."""
    here, there = (SUCCESSOR, PREDECESSOR) if backward else (PREDECESSOR, SUCCESSOR)
    events: set[int] = set()
    seen_units = {unit.pk}
    frontier = {unit.pk}
    for _depth in range(MAX_LINEAGE_DEPTH):
        if not frontier:
            break
        entered = ReorganisationUnit.objects.filter(role=here, unit_id__in=frontier).exclude(
            reorganisation_id__in=events
        )
        rows = list(
            ReorganisationUnit.objects.filter(
                reorganisation_id__in=entered.values("reorganisation_id")
            ).values_list("reorganisation_id", "unit_id", "role")
        )
        events |= {event_id for event_id, _unit, _role in rows}
        reached = {unit_id for _event, unit_id, role in rows if role == there}
        frontier = reached - seen_units
        seen_units |= frontier
    return events


def lineage(unit: Unit, until: dt.date | None = None) -> Lineage:
    """A unit's line of reorganisations (every predecessor and successor over the years) and,
    for each year from the year before the first of them, the units it corresponds to then."""
    until = until or today()
    event_ids = _line_event_ids(unit, backward=True) | _line_event_ids(unit, backward=False)
    link_rows = ReorganisationUnit.objects.select_related("unit__unit_type")
    events = list(
        Reorganisation.objects.filter(pk__in=event_ids)
        .select_related("old_parent", "new_parent")
        .prefetch_related(Prefetch("links", queryset=link_rows))
        .order_by("effective_date", "id")
    )
    result = Lineage(unit=unit, events=events)
    units = {unit.pk: unit}
    links: list[Link] = []
    for event in events:
        event.predecessors = [link.unit for link in event.links.all() if link.role == PREDECESSOR]
        event.successors = [link.unit for link in event.links.all() if link.role == SUCCESSOR]
        for link in event.links.all():
            units.setdefault(link.unit_id, link.unit)
            links.append((event.pk, event.effective_date, link.unit_id, link.role))
    if not events:
        return result
    for year in range(events[0].effective_date.year - 1, until.year + 1):
        day = reference_day(year)
        reached = _reachable([unit.pk], day, True, links)[unit.pk]
        reached |= _reachable([unit.pk], day, False, links)[unit.pk]
        then = sorted(
            (units[pk] for pk in reached if units[pk].is_active_on(day)),
            key=lambda item: (sort_key(item.name), item.code),
        )
        result.years.append(
            LineageYear(year=year, units=then, is_self=[item.pk for item in then] == [unit.pk])
        )
    return result


def reorganisations_of(unit: Unit) -> list[Reorganisation]:
    """The reorganisations a unit took part in directly, earliest first, with their units."""
    link_rows = ReorganisationUnit.objects.select_related("unit")
    return list(
        Reorganisation.objects.filter(links__unit=unit)
        .distinct()
        .prefetch_related(Prefetch("links", queryset=link_rows))
        .order_by("effective_date", "id")
    )


def later_reorganisation(unit: Unit, day: dt.date) -> Reorganisation | None:
    """The first reorganisation of `unit` after `day`, if any (recorded in date order)."""
    return (
        Reorganisation.objects.filter(links__unit=unit, effective_date__gt=day)
        .order_by("effective_date")
        .first()
    )


def reorganisations(*, kind: str = "", year: int | None = None) -> QuerySet[Reorganisation]:
    """Recorded reorganisations, newest first, with their units (for the list page)."""
    link_rows = ReorganisationUnit.objects.select_related("unit")
    events = Reorganisation.objects.select_related("old_parent", "new_parent").prefetch_related(
        Prefetch("links", queryset=link_rows)
    )
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(effective_date__year=year)
    return events.order_by("-effective_date", "-id")


def reorganisation_years() -> list[int]:
    """The years in which reorganisations took effect, newest first."""
    dates = Reorganisation.objects.dates("effective_date", "year", order="DESC")
    return [day.year for day in dates]


def unit_or_none(pk: str | None) -> Unit | None:
    """The unit with this id, if the id is given and exists (a form's starting point)."""
    if not pk or not str(pk).isdigit():
        return None
    return Unit.objects.select_related("unit_type").filter(pk=pk).first()


def focus_unit_id(event: Reorganisation) -> int:
    """The unit whose lineage best shows a reorganisation: its result, else the unit it ended."""
    links = sorted(event.links.all(), key=lambda link: link.role != SUCCESSOR)
    return links[0].unit_id
