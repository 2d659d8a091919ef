"""Reads of index sets: the engine's copy of a set, the tree page, the list, versions and diffs.

`engine_index_set(index_set)` is what the assessments and results apps call on every page: it
returns the engine's `IndexSet` (validated, frozen) built from the rows in two queries (bands,
criteria; the unit type too unless it was selected with the set) and keeps it in a small
per-process cache keyed by the set's id and `revision`. `revision` changes on every write, so a
cached copy is never stale, whichever process wrote; a published set never changes, so after its
first use in a process it costs no query at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from parindex import engine
from parindex.accounts import permissions
from parindex.accounts.types import AnyUser
from parindex.core.formatting import format_points
from parindex.core.vietnamese_sql import words_in
from parindex.indexsets.diff import SetDiff, diff_facts, facts_from_rows
from parindex.indexsets.models import Band, Criterion, IndexSet
from parindex.indexsets.ruletext import describe_rule

# -- rows → the engine --------------------------------------------------------------------------


@dataclass
class SetRows:
    """A set's bands and criteria as loaded from the database (two queries)."""

    bands: list[Band]
    criteria: list[Criterion]

    def children_of(self) -> dict[int | None, list[Criterion]]:
        """Criteria grouped by parent id (None for the top level), in position order."""
        grouped: dict[int | None, list[Criterion]] = {}
        for row in sorted(self.criteria, key=lambda row: row.position):
            grouped.setdefault(row.parent_id, []).append(row)
        return grouped


def set_rows(index_set: IndexSet) -> SetRows:
    """Load a set's bands and criteria (two queries)."""
    return SetRows(
        bands=list(Band.objects.filter(index_set=index_set).order_by("position")),
        criteria=list(Criterion.objects.filter(index_set=index_set).order_by("position", "id")),
    )


def _node_spec(row: Criterion, children: dict[int | None, list[Criterion]]) -> dict[str, Any]:
    spec: dict[str, Any] = {"code": row.code, "name": row.name}
    if row.kind != Criterion.Kind.NORMAL:
        spec["kind"] = row.kind
    spec["max_points"] = row.max_points
    below = children.get(row.pk, [])
    if not below:
        if row.source != Criterion.Source.SELF:
            spec["source"] = row.source
        if row.input:
            spec["input"] = row.input
        if row.rule is not None:
            spec["rule"] = row.rule
        if row.not_applicable != Criterion.NotApplicable.NONE:
            spec["not_applicable"] = row.not_applicable
    for key in ("owner", "evidence", "guidance"):
        if getattr(row, key):
            spec[key] = getattr(row, key)
    if below:
        spec["children"] = [_node_spec(child, children) for child in below]
    return spec


def spec_from_rows(index_set: IndexSet, rows: SetRows) -> dict[str, Any]:
    """The set as a spec dict in the YAML shape, every branch stating its stored maximum."""
    spec: dict[str, Any] = {
        "code": index_set.code,
        "name": index_set.name,
        "unit_type": index_set.unit_type.code,
        "valid_from": index_set.valid_from,
    }
    if index_set.legal_basis:
        spec["legal_basis"] = index_set.legal_basis
    spec["bands"] = [
        {"code": band.code, "name": band.name, "min_percent": band.min_percent}
        for band in rows.bands
    ]
    children = rows.children_of()
    spec["criteria"] = [_node_spec(row, children) for row in children.get(None, [])]
    return spec


_CACHE_SIZE = 64
# (set id, revision) → the engine's copy, or the problems that keep a draft from having one.
_cache: OrderedDict[tuple[int, str], engine.IndexSet | list[engine.Problem]] = OrderedDict()
_cache_lock = threading.Lock()


def _checked(
    index_set: IndexSet, rows: SetRows | None = None
) -> engine.IndexSet | list[engine.Problem]:
    """The engine's reading of a set's current revision, from the cache or built once."""
    key = (index_set.pk, str(index_set.revision))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    built: engine.IndexSet | list[engine.Problem]
    try:
        built = engine.parse_index_set(spec_from_rows(index_set, rows or set_rows(index_set)))
    except engine.IndexSetInvalid as invalid:
        built = invalid.problems
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def engine_index_set(index_set: IndexSet) -> engine.IndexSet:
    """The engine's copy of a set (cached per set revision); IndexSetInvalid for a broken draft.

    Two queries on a cache miss (three if `unit_type` was not selected with the set), none on
    a hit. Published sets are always valid; a draft being edited may not be (the tree page
    lists its problems instead).
    """
    checked = _checked(index_set)
    if isinstance(checked, list):
        raise engine.IndexSetInvalid(checked)
    return checked


def clear_engine_cache() -> None:
    """Forget every cached engine copy (tests that reuse ids with frozen clocks)."""
    with _cache_lock:
        _cache.clear()


def problems_of(index_set: IndexSet, rows: SetRows) -> list[engine.Problem]:
    """What the engine finds wrong with a set's rows (empty when it can be published)."""
    checked = _checked(index_set, rows)
    return checked if isinstance(checked, list) else []


# -- permission-aware getters -------------------------------------------------------------------


def visible_sets(user: AnyUser) -> QuerySet[IndexSet]:
    """The sets a user may read: every set for the PAR office, published sets for others."""
    if not permissions.has(user, "view_indexsets"):
        raise PermissionDenied
    sets = IndexSet.objects.select_related("unit_type")
    if not permissions.has(user, "manage_indexsets"):
        sets = sets.filter(status=IndexSet.Status.PUBLISHED)
    return sets


def get_index_set_for_reader(user: AnyUser, pk: int) -> IndexSet:
    """A set the user may read (404 for a draft the user may not see, 403 without access)."""
    return get_object_or_404(visible_sets(user), pk=pk)


def require_manager(user: AnyUser) -> None:
    """Refuse (403) anyone who may not create, import or edit index sets."""
    if not permissions.has(user, "manage_indexsets"):
        raise PermissionDenied


def get_index_set_for_manager(user: AnyUser, pk: int) -> IndexSet:
    """A set the user may change (403 unless PAR office)."""
    if not permissions.has(user, "manage_indexsets"):
        raise PermissionDenied
    return get_object_or_404(IndexSet.objects.select_related("unit_type"), pk=pk)


def get_draft_for_editor(user: AnyUser, pk: int) -> IndexSet:
    """A draft set the user may edit (404 when it is not a draft any more)."""
    index_set = get_index_set_for_manager(user, pk)
    if not index_set.is_draft:
        raise Http404
    return index_set


def get_criterion_for_editor(user: AnyUser, index_set: IndexSet, pk: int) -> Criterion:
    """A criterion of a draft the user may edit."""
    return get_object_or_404(Criterion, index_set=index_set, pk=pk)


# -- the list page ------------------------------------------------------------------------------

SET_SORTS = {
    "code": ("code", "-version"),
    "-code": ("-code", "-version"),
    "year": ("valid_from", "code", "-version"),
    "-year": ("-valid_from", "code", "-version"),
    "type": ("unit_type__order", "code", "-version"),
    "-type": ("-unit_type__order", "code", "-version"),
    "updated": ("updated_at",),
    "-updated": ("-updated_at",),
}


def index_set_list(
    user: AnyUser,
    *,
    search: str = "",
    unit_type: str = "",
    status: str = "",
    year: str = "",
    versions: str = "",
    sort: str = "-year",
) -> QuerySet[IndexSet]:
    """Sets for the list page with their leaf count and maximum, filtered and sorted (1 query).

    Unless `versions == "all"`, only the latest published version of each code and any draft
    are listed.
    """
    sets = visible_sets(user)
    if search:
        sets = sets.filter(words_in(search, "code", "name"))
    if unit_type:
        sets = sets.filter(unit_type__code=unit_type)
    if status in IndexSet.Status.values:
        sets = sets.filter(status=status)
    if year.isdigit():
        sets = sets.filter(valid_from=int(year))
    if versions != "all":
        newer = IndexSet.objects.filter(
            code=OuterRef("code"), status=IndexSet.Status.PUBLISHED, version__gt=OuterRef("version")
        )
        sets = sets.filter(Q(status=IndexSet.Status.DRAFT) | ~Exists(newer))
    leaves = (
        Criterion.objects.filter(index_set=OuterRef("pk"), children__isnull=True)
        .values("index_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    maximum = (
        Criterion.objects.filter(
            index_set=OuterRef("pk"), parent__isnull=True, kind=Criterion.Kind.NORMAL
        )
        .values("index_set")
        .annotate(total=Sum("max_points"))
        .values("total")
    )
    sets = sets.annotate(
        leaf_count=Coalesce(Subquery(leaves, output_field=IntegerField()), 0),
        max_total=Subquery(maximum),
    )
    return sets.order_by(*SET_SORTS.get(sort, SET_SORTS["-year"]), "pk")


# -- the tree page ------------------------------------------------------------------------------


@dataclass
class TreeNode:
    """One row of the tree page: a criterion with its depth and what the page shows about it."""

    row: Criterion
    depth: int
    is_leaf: bool
    category: str  # kind of its top-level ancestor
    rule_text: str = ""
    max_text: str = ""
    kind_label: str = ""
    source_label: str = ""
    na_label: str = ""
    is_first: bool = False
    is_last: bool = False
    child_count: int = 0


@dataclass
class TreeSummary:
    """Counts and maxima of a set: areas, criteria, sub-criteria and how the points split."""

    areas: int = 0
    criteria: int = 0
    subcriteria: int = 0
    leaves: int = 0
    max_total: Decimal = Decimal(0)
    self_points: Decimal = Decimal(0)
    survey_points: Decimal = Decimal(0)
    computed_points: Decimal = Decimal(0)
    excludable_points: Decimal = Decimal(0)
    bonus_points: Decimal = Decimal(0)
    penalty_points: Decimal = Decimal(0)


@dataclass
class Tree:
    """A set's criteria in document order, its summary and (for drafts) its problems."""

    nodes: list[TreeNode] = field(default_factory=list)
    summary: TreeSummary = field(default_factory=TreeSummary)
    bands: list[Band] = field(default_factory=list)
    problems: list[engine.Problem] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """The nodes as plain dicts for the template (dict lookups keep a big tree fast)."""
        return [
            {
                "pk": node.row.pk,
                "code": node.row.code,
                "name": node.row.name,
                "owner": node.row.owner,
                "depth": node.depth,
                "category": node.category,
                "kind_label": node.kind_label,
                "max_text": node.max_text,
                "source_label": node.source_label,
                "na_label": node.na_label,
                "rule_text": node.rule_text,
                "is_first": node.is_first,
                "is_last": node.is_last,
            }
            for node in self.nodes
        ]


def tree_of(index_set: IndexSet, rows: SetRows | None = None, *, check: bool = True) -> Tree:
    """The tree page's data: two queries, whatever the size of the set."""
    rows = rows or set_rows(index_set)
    children = rows.children_of()
    tree = Tree(bands=rows.bands)
    # Labels translated once, not once per row: the page of a 150-leaf set stays fast.
    kinds = {key: str(label) for key, label in Criterion.Kind.choices}
    sources = {key: str(label) for key, label in Criterion.Source.choices}
    nas = {key: str(label) for key, label in Criterion.NotApplicable.choices}
    summary = tree.summary

    def visit(row: Criterion, depth: int, category: str, siblings: list[Criterion]) -> None:
        below = children.get(row.pk, [])
        node = TreeNode(
            row=row,
            depth=depth,
            is_leaf=not below,
            category=category,
            rule_text="" if below else describe_rule(row.rule),
            max_text=format_points(row.max_points),
            kind_label=kinds[row.kind] if row.kind != Criterion.Kind.NORMAL else "",
            source_label="" if below else sources[row.source],
            na_label=nas[row.not_applicable] if not below and row.not_applicable != "none" else "",
            is_first=row is siblings[0],
            is_last=row is siblings[-1],
            child_count=len(below),
        )
        tree.nodes.append(node)
        if category == Criterion.Kind.NORMAL:
            if depth == 1:
                summary.areas += 1
                summary.max_total += row.max_points
            elif depth == 2:
                summary.criteria += 1
            else:
                summary.subcriteria += 1
            if not below:
                summary.leaves += 1
                if row.source == Criterion.Source.SURVEY:
                    summary.survey_points += row.max_points
                elif row.source == Criterion.Source.COMPUTED:
                    summary.computed_points += row.max_points
                else:
                    summary.self_points += row.max_points
                if row.not_applicable == Criterion.NotApplicable.EXCLUDE:
                    summary.excludable_points += row.max_points
        elif depth == 1 and category == Criterion.Kind.BONUS:
            summary.bonus_points += row.max_points
        elif depth == 1:
            summary.penalty_points += row.max_points
        for child in below:
            visit(child, depth + 1, category, below)

    top = children.get(None, [])
    for row in top:
        visit(row, 1, row.kind, top)
    if check and index_set.is_draft:
        tree.problems = problems_of(index_set, rows)
    return tree


def versions_of(index_set: IndexSet, user: AnyUser) -> list[IndexSet]:
    """Every version of a set's code the user may see, newest first (one query)."""
    return list(visible_sets(user).filter(code=index_set.code).order_by("-version"))


def latest_published(code: str) -> IndexSet | None:
    """The newest published version of a code."""
    return (
        IndexSet.objects.select_related("unit_type")
        .filter(code=code, status=IndexSet.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def draft_of(code: str) -> IndexSet | None:
    """The draft of a code, if there is one."""
    return (
        IndexSet.objects.select_related("unit_type")
        .filter(code=code, status=IndexSet.Status.DRAFT)
        .first()
    )


def diff_sets(old: IndexSet, new: IndexSet) -> SetDiff:
    """What changed from one set (or version) to another: details, bands and nodes (4 queries)."""
    return diff_facts(facts_from_rows(old, set_rows(old)), facts_from_rows(new, set_rows(new)))


def parent_choices(index_set: IndexSet, criterion: Criterion) -> list[tuple[str, str]]:
    """Where a criterion may be moved: any node outside its own subtree, in document order."""
    tree = tree_of(index_set, check=False)
    choices, skip_depth = [], 0
    for node in tree.nodes:
        if skip_depth and node.depth > skip_depth:
            continue
        skip_depth = 0
        if node.row.pk == criterion.pk:
            skip_depth = node.depth
            continue
        label = f"{'— ' * (node.depth - 1)}{node.row.code}. {node.row.name[:70]}"
        choices.append((str(node.row.pk), label))
    return choices


def comparable_sets(user: AnyUser, exclude: Iterable[int] = ()) -> list[IndexSet]:
    """The sets a user may choose from in the diff form, newest first."""
    return list(visible_sets(user).exclude(pk__in=list(exclude)).order_by("code", "-version"))
