"""Writes of index sets: import, versions, publication, cloning and editing a draft's tree.

Versioning (docs/design.md: "a published set cannot change"):
- A published version never changes. Editing it starts a new draft version (`version + 1`,
  `derived_from` the published one); a code has at most one draft at a time.
- Importing a file whose code is new creates version 1. If the code exists: when the code has
  a draft, the file replaces the draft's content; otherwise, when the file equals the latest
  published version nothing is written (re-running an import is safe); otherwise a new version
  is created from the file. The result is published unless `draft=True`.
- Publishing a draft asks the engine to validate it; every problem is listed and nothing is
  saved when it fails.
Edits of a draft keep every normal branch's maximum equal to the sum of its children, so an
officer changes a leaf's maximum and the totals above it follow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex import engine
from parindex.accounts.models import User
from parindex.core import audit
from parindex.indexsets import queries
from parindex.indexsets.diff import SetDiff, diff_facts, facts_from_engine, facts_from_rows
from parindex.indexsets.models import Band, Criterion, IndexSet
from parindex.indexsets.problems import PROBLEM_MESSAGES, IndexSetRefused, refused
from parindex.units.models import UnitType

# -- rows from the engine -----------------------------------------------------------------------


def _write_rows(index_set: IndexSet, source: engine.IndexSet) -> None:
    """Store an engine set's bands and criteria as rows of `index_set` (one insert per level)."""
    spec = engine.to_spec(source)
    Band.objects.bulk_create(
        Band(
            index_set=index_set,
            position=position,
            code=band.code,
            name=band.name,
            min_percent=band.min_percent,
        )
        for position, band in enumerate(source.bands, start=1)
    )
    level: list[tuple[Criterion | None, engine.Criterion, dict[str, Any], int]] = [
        (None, node, node_spec, position)
        for position, (node, node_spec) in enumerate(
            zip(source.criteria, spec["criteria"], strict=True), start=1
        )
    ]
    while level:
        rows = [
            Criterion(
                index_set=index_set,
                parent=parent,
                position=position,
                code=node.code,
                name=node.name,
                kind=str(node.kind),
                max_points=node.max_points,
                source=str(node.source),
                input=str(node.input or ""),
                not_applicable=str(node.not_applicable),
                rule=node_spec.get("rule"),  # exactly the canonical YAML rule; None = default
                owner=node.owner,
                evidence=node.evidence,
                guidance=node.guidance,
            )
            for parent, node, node_spec, position in level
        ]
        Criterion.objects.bulk_create(rows)
        level = [
            (row, child, child_spec, position)
            for row, (_parent, node, node_spec, _position) in zip(rows, level, strict=True)
            for position, (child, child_spec) in enumerate(
                zip(node.children, node_spec.get("children", []), strict=True), start=1
            )
        ]


def _copy_rows(source: IndexSet, target: IndexSet) -> None:
    """Copy a set's bands and criteria into another set (one insert per level)."""
    rows = queries.set_rows(source)
    Band.objects.bulk_create(
        Band(
            index_set=target,
            position=band.position,
            code=band.code,
            name=band.name,
            min_percent=band.min_percent,
        )
        for band in rows.bands
    )
    children = rows.children_of()
    level: list[tuple[Criterion | None, Criterion]] = [
        (None, row) for row in children.get(None, [])
    ]
    while level:
        copies = []
        for parent, row in level:
            copy = Criterion(
                index_set=target,
                parent=parent,
                **{
                    name: getattr(row, name)
                    for name in (
                        "position",
                        "code",
                        "name",
                        "kind",
                        "max_points",
                        "source",
                        "input",
                        "not_applicable",
                        "rule",
                        "owner",
                        "evidence",
                        "guidance",
                    )
                },
            )
            copies.append(copy)
        Criterion.objects.bulk_create(copies)
        level = [
            (copy, child)
            for copy, (_parent, row) in zip(copies, level, strict=True)
            for child in children.get(row.pk, [])
        ]


def _touch(index_set: IndexSet) -> None:
    """Mark a set changed: a new revision, so no cache serves its old content."""
    index_set.revision = uuid.uuid4()
    index_set.save(update_fields=["revision", "updated_at"])


def _unit_type(code: str) -> UnitType:
    unit_type = UnitType.objects.filter(code=code).first()
    if unit_type is None:
        known = ", ".join(UnitType.objects.order_by("order", "code").values_list("code", flat=True))
        raise IndexSetRefused(
            [
                _("unit_type: there is no unit type %(code)s (known: %(known)s).")
                % {"code": code, "known": known}
            ],
            code="index_set.unknown_unit_type",
        )
    return unit_type


def _require_draft(index_set: IndexSet) -> None:
    if not index_set.is_draft:
        raise IndexSetRefused(
            [_("A published index set never changes; start a new version to edit it.")],
            code="index_set.published",
        )


# -- import -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    index_set: IndexSet
    action: str  # created, new_version, draft_replaced, unchanged
    diff: SetDiff | None = None
    dry_run: bool = False


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        self.result = result


def import_index_set(
    *, source: engine.IndexSet, by: User | None, draft: bool = False, dry_run: bool = False
) -> ImportResult:
    """Save a validated set as rows: a new set, a new version, or the code's draft replaced."""
    try:
        return _import(source=source, by=by, draft=draft, dry_run=dry_run)
    except _DryRun as rolled_back:
        return rolled_back.result


@transaction.atomic
def _import(
    *, source: engine.IndexSet, by: User | None, draft: bool, dry_run: bool
) -> ImportResult:
    unit_type = _unit_type(source.unit_type)
    existing_draft = queries.draft_of(source.code)
    latest = queries.latest_published(source.code)
    previous = existing_draft or latest
    diff = None
    if previous is not None:
        diff = diff_facts(
            facts_from_rows(previous, queries.set_rows(previous)), facts_from_engine(source)
        )
    if existing_draft is None and latest is not None and diff is not None and diff.is_empty:
        return ImportResult(latest, "unchanged", diff, dry_run)
    details = {
        "name": source.name,
        "unit_type": unit_type,
        "valid_from": source.valid_from,
        "legal_basis": source.legal_basis,
    }
    if existing_draft is not None:
        index_set = existing_draft
        for key, value in details.items():
            setattr(index_set, key, value)
        index_set.criteria.all().delete()
        index_set.bands.all().delete()
        index_set.revision = uuid.uuid4()
        index_set.save()
        action = "draft_replaced"
    else:
        top = IndexSet.objects.filter(code=source.code).aggregate(top=Max("version"))["top"]
        index_set = IndexSet.objects.create(
            code=source.code,
            version=(top or 0) + 1,
            derived_from=latest,
            status=IndexSet.Status.DRAFT,
            **details,
        )
        action = "new_version" if top else "created"
    _write_rows(index_set, source)
    audit.record(
        index_set,
        "indexset.imported",
        by=by,
        new={"code": source.code, "version": index_set.version, "action": action},
    )
    if not draft:
        _publish(index_set, by=by, checked=source)
    result = ImportResult(index_set, action, diff, dry_run)
    if dry_run:
        raise _DryRun(result)  # leaving the atomic block this way undoes every write
    return result


# -- versions -----------------------------------------------------------------------------------


def _publish(
    index_set: IndexSet, *, by: User | None, checked: engine.IndexSet | None = None
) -> None:
    if checked is None:
        # Read from the rows themselves, not a cache: nothing unchecked is ever published.
        spec = queries.spec_from_rows(index_set, queries.set_rows(index_set))
        try:
            engine.parse_index_set(spec)
        except engine.IndexSetInvalid as invalid:
            raise refused(invalid) from None
    index_set.status = IndexSet.Status.PUBLISHED
    index_set.published_at = timezone.now()
    index_set.revision = uuid.uuid4()
    index_set.save(update_fields=["status", "published_at", "revision", "updated_at"])
    audit.record(
        index_set,
        "indexset.published",
        by=by,
        old=IndexSet.Status.DRAFT,
        new=IndexSet.Status.PUBLISHED,
    )


@transaction.atomic
def publish_index_set(*, index_set: IndexSet, by: User | None) -> IndexSet:
    """Publish a draft once the engine finds nothing wrong with it; it never changes after."""
    _require_draft(index_set)
    _publish(index_set, by=by)
    return index_set


@transaction.atomic
def start_new_version(*, index_set: IndexSet, by: User | None) -> IndexSet:
    """The draft in which a published set is edited: its next version (or the existing draft)."""
    existing = queries.draft_of(index_set.code)
    if existing is not None:
        return existing
    if not index_set.is_published:
        return index_set
    top = IndexSet.objects.filter(code=index_set.code).aggregate(top=Max("version"))["top"]
    draft = IndexSet.objects.create(
        code=index_set.code,
        version=top + 1,
        name=index_set.name,
        unit_type=index_set.unit_type,
        valid_from=index_set.valid_from,
        legal_basis=index_set.legal_basis,
        derived_from=index_set,
    )
    _copy_rows(index_set, draft)
    audit.record(draft, "indexset.version_started", by=by, new={"from_version": index_set.version})
    return draft


@transaction.atomic
def clone_index_set(
    *, source: IndexSet, by: User | None, code: str, name: str, valid_from: int, legal_basis: str
) -> IndexSet:
    """Copy a set under a new code (e.g. SO-2024 → SO-2027) as a draft to adapt and publish."""
    if IndexSet.objects.filter(code=code).exists():
        raise IndexSetRefused(
            [_("The code %(code)s is already used by another index set.") % {"code": code}],
            code="index_set.code_taken",
        )
    clone = IndexSet.objects.create(
        code=code,
        version=1,
        name=name,
        unit_type=source.unit_type,
        valid_from=valid_from,
        legal_basis=legal_basis,
        derived_from=source,
    )
    _copy_rows(source, clone)
    audit.record(clone, "indexset.cloned", by=by, new={"from": str(source), "code": code})
    return clone


@transaction.atomic
def discard_draft(*, index_set: IndexSet, by: User | None) -> None:
    """Delete a draft and its tree; the published versions stay as they are."""
    _require_draft(index_set)
    audit.record(index_set, "indexset.discarded", by=by, old={"version": index_set.version})
    try:
        index_set.delete()
    except ProtectedError:
        raise IndexSetRefused(
            [_("This draft is in use and cannot be deleted.")], code="index_set.draft_in_use"
        ) from None


@transaction.atomic
def update_details(
    *,
    index_set: IndexSet,
    by: User | None,
    name: str,
    unit_type: UnitType,
    valid_from: int,
    legal_basis: str,
    bands: list[dict[str, Any]],
) -> IndexSet:
    """Change a draft's name, unit type, year, legal basis and bands."""
    _require_draft(index_set)
    values = {
        "name": name,
        "unit_type": unit_type,
        "valid_from": valid_from,
        "legal_basis": legal_basis,
    }
    old, new = audit.changes(index_set, list(values), values)
    for key, value in values.items():
        setattr(index_set, key, value)
    rows = queries.set_rows(index_set)
    old_bands = [(b.code, b.name, b.min_percent) for b in rows.bands]
    new_bands = [(b["code"], b["name"], Decimal(str(b["min_percent"]))) for b in bands]
    if old_bands != new_bands:
        index_set.bands.all().delete()
        Band.objects.bulk_create(
            Band(index_set=index_set, position=position, code=code, name=band_name, min_percent=p)
            for position, (code, band_name, p) in enumerate(new_bands, start=1)
        )
        old["bands"], new["bands"] = old_bands, new_bands
    index_set.revision = uuid.uuid4()
    index_set.save()
    if old or new:
        audit.record(index_set, "indexset.details_changed", by=by, old=old, new=new)
    return index_set


# -- editing the tree of a draft ----------------------------------------------------------------

NODE_FIELDS = (
    "code",
    "name",
    "kind",
    "max_points",
    "source",
    "input",
    "not_applicable",
    "rule",
    "owner",
    "evidence",
    "guidance",
)


@dataclass
class NodeCheck:
    """A node's fields as the engine reads them: the node and its canonical rule, or problems."""

    node: engine.Criterion | None = None
    rule: dict[str, Any] | None = None
    problems: list[engine.Problem] = field(default_factory=list)


PROBE_BANDS = [{"code": "~band~", "name": "~", "min_percent": 0}]


def _probe(bands: list[dict[str, Any]], criteria: list[dict[str, Any]]) -> engine.IndexSet:
    """Have the engine read a stand-in set holding only what is being edited."""
    spec = {
        "code": "~set~",
        "name": "~",
        "unit_type": "~",
        "valid_from": 2000,
        "bands": bands,
        "criteria": criteria,
    }
    return engine.parse_index_set(spec)


def check_bands(bands: list[dict[str, Any]]) -> list[engine.Problem]:
    """What the engine finds wrong with a list of bands (empty when they are fine)."""
    try:
        _probe(bands, [{"code": "~normal~", "name": "~", "max_points": 1}])
    except engine.IndexSetInvalid as invalid:
        return invalid.problems
    return []


def check_node(*, values: dict[str, Any], is_leaf: bool, category: str) -> NodeCheck:
    """Ask the engine about one node on its own (its code, texts, maximum and rule)."""
    node: dict[str, Any] = {"code": values["code"], "name": values["name"]}
    if values.get("kind", "normal") != "normal":
        node["kind"] = values["kind"]
    node["max_points"] = values["max_points"]
    if is_leaf:
        for key, default in (("source", "self"), ("input", ""), ("not_applicable", "none")):
            if values.get(key, default) != default:
                node[key] = values[key]
        if values.get("rule") is not None:
            node["rule"] = values["rule"]
    for key in ("owner", "evidence", "guidance"):
        if values.get(key):
            node[key] = values[key]
    criteria = [node]
    if category != "normal" and node.get("kind") is None:
        # A node under a bonus or penalty area obeys that area's rules: probe it there.
        criteria = [{"code": "~area~", "name": "~", "kind": category, "children": [node]}]
    if category != "normal":
        criteria.append({"code": "~normal~", "name": "~", "max_points": 1})
    try:
        parsed = _probe(PROBE_BANDS, criteria)
    except engine.IndexSetInvalid as invalid:
        return NodeCheck(problems=invalid.problems)
    checked = parsed.criteria[0]
    if checked.code == "~area~":
        checked = checked.children[0]
    if not is_leaf:
        return NodeCheck(node=checked)
    stand_in = engine.IndexSet(
        code="~", name="~", unit_type="~", valid_from=2000, criteria=(checked,)
    )
    return NodeCheck(node=checked, rule=engine.to_spec(stand_in)["criteria"][0].get("rule"))


def _node_refused(problems: list[engine.Problem]) -> IndexSetRefused:
    return refused(engine.IndexSetInvalid(problems), lambda path: path.split("/")[-1])


def _check_code_free(index_set: IndexSet, code: str, exclude: int | None = None) -> None:
    taken = Criterion.objects.filter(index_set=index_set, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        message = PROBLEM_MESSAGES["duplicate_code"] % {"code": code, "first_path": index_set.code}
        raise IndexSetRefused([str(message)], code="criterion.code_taken")


def _category(criterion: Criterion | None, rows: dict[int, Criterion]) -> str:
    while criterion is not None and criterion.parent_id is not None:
        criterion = rows[criterion.parent_id]
    return criterion.kind if criterion is not None else "normal"


def _roll_up(index_set: IndexSet) -> None:
    """Set every normal branch's maximum to the sum of its children's (one read, one write)."""
    rows = queries.set_rows(index_set)
    by_id = {row.pk: row for row in rows.criteria}
    children = rows.children_of()
    changed: list[Criterion] = []

    def total(row: Criterion) -> Decimal:
        below = children.get(row.pk, [])
        if not below:
            return Decimal(row.max_points)
        child_sum = sum((total(child) for child in below), Decimal(0))
        if _category(row, by_id) == "normal" and row.max_points != child_sum:
            row.max_points = child_sum
            changed.append(row)
        return Decimal(row.max_points)

    for row in children.get(None, []):
        total(row)
    if changed:
        Criterion.objects.bulk_update(changed, ["max_points"])


def _renumber(index_set: IndexSet, parent_id: int | None) -> None:
    siblings = list(
        Criterion.objects.filter(index_set=index_set, parent_id=parent_id).order_by(
            "position", "id"
        )
    )
    for position, row in enumerate(siblings, start=1):
        row.position = position
    Criterion.objects.bulk_update(siblings, ["position"])


def _node_values(criterion: Criterion) -> dict[str, Any]:
    return {name: getattr(criterion, name) for name in NODE_FIELDS}


@transaction.atomic
def add_criterion(
    *, index_set: IndexSet, by: User | None, parent: Criterion | None, values: dict[str, Any]
) -> Criterion:
    """Add a leaf at the end of `parent`'s children (a leaf parent becomes a branch)."""
    _require_draft(index_set)
    rows = {row.pk: row for row in Criterion.objects.filter(index_set=index_set)}
    category = values.get("kind", "normal") if parent is None else _category(parent, rows)
    check = check_node(values=values, is_leaf=True, category=category)
    if check.problems:
        raise _node_refused(check.problems)
    _check_code_free(index_set, values["code"])
    if parent is not None and not parent.children.exists():
        # Source, N/A and rule belong to leaves; the parent now takes its points from children.
        parent.source, parent.input, parent.not_applicable, parent.rule = "self", "", "none", None
        parent.save(update_fields=["source", "input", "not_applicable", "rule"])
    position = Criterion.objects.filter(index_set=index_set, parent=parent).count() + 1
    criterion = Criterion.objects.create(
        index_set=index_set,
        parent=parent,
        position=position,
        owner=values.get("owner", ""),
        evidence=values.get("evidence", ""),
        guidance=values.get("guidance", ""),
        code=values["code"],
        name=values["name"],
        kind=values.get("kind", "normal") if parent is None else "normal",
        max_points=values["max_points"],
        source=values.get("source", "self"),
        input=values.get("input", ""),
        not_applicable=values.get("not_applicable", "none"),
        rule=check.rule,
    )
    _roll_up(index_set)
    _touch(index_set)
    audit.record(index_set, "criterion.added", by=by, new=_node_values(criterion))
    return criterion


@transaction.atomic
def update_criterion(
    *, criterion: Criterion, by: User | None, values: dict[str, Any], revision: str = ""
) -> Criterion:
    """Change a node's fields; a leaf's rule is checked by the engine and stored canonically."""
    index_set = criterion.index_set
    _require_draft(index_set)
    if revision and revision != str(index_set.revision):
        raise IndexSetRefused(
            [_("Someone else changed this draft meanwhile; reload the page and edit again.")],
            code="index_set.conflict",
        )
    is_leaf = not criterion.children.exists()
    rows = {row.pk: row for row in Criterion.objects.filter(index_set=index_set)}
    category = (
        values.get("kind", criterion.kind)
        if criterion.parent_id is None
        else _category(criterion, rows)
    )
    if not is_leaf and category == "normal":
        values = {**values, "max_points": criterion.max_points}  # follows its children
    check = check_node(values=values, is_leaf=is_leaf, category=category)
    if check.problems:
        raise _node_refused(check.problems)
    _check_code_free(index_set, values["code"], exclude=criterion.pk)
    new_values = {key: values.get(key, getattr(criterion, key)) for key in NODE_FIELDS}
    new_values["rule"] = check.rule if is_leaf else None
    if not is_leaf or new_values["source"] != "computed":
        new_values["input"] = ""
    if criterion.parent_id is not None:
        new_values["kind"] = "normal"
    old, new = audit.changes(criterion, list(NODE_FIELDS), new_values)
    for key, value in new_values.items():
        setattr(criterion, key, value)
    criterion.save()
    _roll_up(index_set)
    _touch(index_set)
    if old or new:
        audit.record(
            index_set, "criterion.changed", by=by, old={"code": criterion.code, **old}, new=new
        )
    return criterion


@transaction.atomic
def move_criterion(*, criterion: Criterion, by: User | None, direction: str) -> Criterion:
    """Swap a node with its previous ("up") or next ("down") sibling."""
    index_set = criterion.index_set
    _require_draft(index_set)
    _renumber(index_set, criterion.parent_id)
    criterion.refresh_from_db(fields=["position"])
    siblings = Criterion.objects.filter(index_set=index_set, parent_id=criterion.parent_id)
    if direction == "up":
        other = siblings.filter(position__lt=criterion.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=criterion.position).order_by("position").first()
    if other is None:
        return criterion
    criterion.position, other.position = other.position, criterion.position
    Criterion.objects.bulk_update([criterion, other], ["position"])
    _touch(index_set)
    audit.record(
        index_set, "criterion.moved", by=by, new={"code": criterion.code, "direction": direction}
    )
    return criterion


@transaction.atomic
def reparent_criterion(
    *, criterion: Criterion, by: User | None, parent: Criterion | None
) -> Criterion:
    """Move a node (with its subtree) to the end of another parent's children."""
    index_set = criterion.index_set
    _require_draft(index_set)
    rows = {row.pk: row for row in Criterion.objects.filter(index_set=index_set)}
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == criterion.pk:
            raise IndexSetRefused(
                [_("A criterion cannot be moved under itself.")], code="criterion.under_itself"
            )
        ancestor = rows.get(ancestor.parent_id) if ancestor.parent_id else None
    old_parent_id = criterion.parent_id
    if parent is not None and not parent.children.exists():
        parent.source, parent.input, parent.not_applicable, parent.rule = "self", "", "none", None
        parent.save(update_fields=["source", "input", "not_applicable", "rule"])
    criterion.parent = parent
    criterion.position = Criterion.objects.filter(index_set=index_set, parent=parent).count() + 1
    if parent is not None:
        criterion.kind = "normal"
    criterion.save(update_fields=["parent", "position", "kind"])
    _renumber(index_set, old_parent_id)
    _roll_up(index_set)
    _touch(index_set)
    old_code = rows[old_parent_id].code if old_parent_id else ""
    audit.record(
        index_set,
        "criterion.moved",
        by=by,
        old={"code": criterion.code, "parent": old_code},
        new={"code": criterion.code, "parent": parent.code if parent else ""},
    )
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: Criterion, by: User | None) -> None:
    """Delete a node and everything under it."""
    index_set = criterion.index_set
    _require_draft(index_set)
    codes = [criterion.code]
    rows = queries.set_rows(index_set)
    children = rows.children_of()
    stack = list(children.get(criterion.pk, []))
    while stack:
        row = stack.pop()
        codes.append(row.code)
        stack.extend(children.get(row.pk, []))
    parent_id = criterion.parent_id
    criterion.delete()
    _renumber(index_set, parent_id)
    _roll_up(index_set)
    _touch(index_set)
    audit.record(index_set, "criterion.deleted", by=by, old={"codes": codes})
