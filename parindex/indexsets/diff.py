"""What changed between two index sets or two versions of one: details, bands and nodes.

Nodes are matched by code. A node is added, removed or changed (name, kind, maximum, source,
N/A policy, rule, owner, evidence, guidance, parent); a parent whose children changed order is
reported as changed too. Maximum changes are listed on their own because they move totals.
Works on plain facts, so it compares rows (even a draft the engine would refuse) with rows, or
rows with an uploaded file before it is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.formatting import format_points
from parindex.engine import IndexSet as EngineIndexSet
from parindex.engine import to_spec
from parindex.indexsets.ruletext import RULE_LABELS, describe_rule

if TYPE_CHECKING:
    from parindex.indexsets.models import IndexSet
    from parindex.indexsets.queries import SetRows

NODE_FIELDS = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "max_points": gettext_lazy("Maximum points"),
    "source": gettext_lazy("Source"),
    "input": gettext_lazy("Computed from"),
    "not_applicable": gettext_lazy("Not applicable"),
    "rule": gettext_lazy("Scoring rule"),
    "parent": gettext_lazy("Parent"),
    "owner": gettext_lazy("Responsible unit"),
    "evidence": gettext_lazy("Required evidence"),
    "guidance": gettext_lazy("Guidance"),
    "order": gettext_lazy("Order of sub-criteria"),
}
DETAIL_FIELDS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "unit_type": gettext_lazy("Unit type"),
    "valid_from": gettext_lazy("Valid from (year)"),
    "legal_basis": gettext_lazy("Legal basis"),
    "bands": gettext_lazy("Bands"),
}


@dataclass(frozen=True)
class NodeFacts:
    """What is compared about one criterion."""

    code: str
    name: str
    parent: str
    depth: int
    is_leaf: bool
    kind: str
    max_points: Decimal
    source: str
    input: str
    not_applicable: str
    rule: Any
    owner: str
    evidence: str
    guidance: str
    order: tuple[str, ...]  # codes of its children, in order


@dataclass
class SetFacts:
    """What is compared about a set: its details, bands and nodes in document order."""

    details: dict[str, Any]
    nodes: dict[str, NodeFacts]
    max_total: Decimal


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class NodeChange:
    code: str
    name: str
    depth: int
    change: str  # added, removed, changed
    max_old: Decimal | None = None
    max_new: Decimal | None = None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class SetDiff:
    """Differences between an old and a new set, in the new set's order (removed ones last)."""

    details: list[FieldChange]
    nodes: list[NodeChange]
    max_total_old: Decimal
    max_total_new: Decimal

    @property
    def added(self) -> list[NodeChange]:
        return [node for node in self.nodes if node.change == "added"]

    @property
    def removed(self) -> list[NodeChange]:
        return [node for node in self.nodes if node.change == "removed"]

    @property
    def changed(self) -> list[NodeChange]:
        return [node for node in self.nodes if node.change == "changed"]

    @property
    def max_changes(self) -> list[NodeChange]:
        return [node for node in self.nodes if node.max_old != node.max_new]

    @property
    def is_empty(self) -> bool:
        return not self.details and not self.nodes


def _bands_text(bands: list[tuple[str, str, Decimal]]) -> str:
    return "; ".join(
        f"{name} ({code}) ≥ {format_points(minimum)}%" for code, name, minimum in bands
    )


def facts_from_rows(index_set: IndexSet, rows: SetRows) -> SetFacts:
    """Facts of a set stored as rows."""
    children = rows.children_of()
    by_id = {row.pk: row for row in rows.criteria}
    nodes: dict[str, NodeFacts] = {}
    total = Decimal(0)

    def visit(row: Any, depth: int) -> None:
        below = children.get(row.pk, [])
        parent = by_id[row.parent_id].code if row.parent_id else ""
        nodes[row.code] = NodeFacts(
            code=row.code,
            name=row.name,
            parent=parent,
            depth=depth,
            is_leaf=not below,
            kind=row.kind,
            max_points=Decimal(row.max_points),
            source=row.source if not below else "",
            input=row.input if not below else "",
            not_applicable=row.not_applicable if not below else "",
            rule=row.rule if not below else None,
            owner=row.owner,
            evidence=row.evidence,
            guidance=row.guidance,
            order=tuple(child.code for child in below),
        )
        for child in below:
            visit(child, depth + 1)

    for row in children.get(None, []):
        visit(row, 1)
        if row.kind == "normal":
            total += Decimal(row.max_points)
    details = {
        "code": index_set.code,
        "name": index_set.name,
        "unit_type": index_set.unit_type.code,
        "valid_from": index_set.valid_from,
        "legal_basis": index_set.legal_basis,
        "bands": _bands_text([(b.code, b.name, b.min_percent) for b in rows.bands]),
    }
    return SetFacts(details=details, nodes=nodes, max_total=total)


def facts_from_engine(index_set: EngineIndexSet) -> SetFacts:
    """Facts of a set read from a file (the engine's validated copy)."""
    nodes: dict[str, NodeFacts] = {}

    def visit(node: Any, spec: dict[str, Any], parent: str, depth: int) -> None:
        nodes[node.code] = NodeFacts(
            code=node.code,
            name=node.name,
            parent=parent,
            depth=depth,
            is_leaf=node.is_leaf,
            kind=str(node.kind),
            max_points=node.max_points,
            source=str(node.source) if node.is_leaf else "",
            input=str(node.input or ""),
            not_applicable=str(node.not_applicable) if node.is_leaf else "",
            rule=spec.get("rule") if node.is_leaf else None,
            owner=node.owner,
            evidence=node.evidence,
            guidance=node.guidance,
            order=tuple(child.code for child in node.children),
        )
        for child, child_spec in zip(node.children, spec.get("children", []), strict=True):
            visit(child, child_spec, node.code, depth + 1)

    spec = to_spec(index_set)
    for node, node_spec in zip(index_set.criteria, spec["criteria"], strict=True):
        visit(node, node_spec, "", 1)
    details = {
        "code": index_set.code,
        "name": index_set.name,
        "unit_type": index_set.unit_type,
        "valid_from": index_set.valid_from,
        "legal_basis": index_set.legal_basis,
        "bands": _bands_text([(b.code, b.name, b.min_percent) for b in index_set.bands]),
    }
    return SetFacts(details=details, nodes=nodes, max_total=index_set.max_points)


def _rule_text(rule: Any) -> str:
    rule_type = (rule or {}).get("type", "range")
    return f"{RULE_LABELS.get(rule_type, rule_type)}: {describe_rule(rule)}"


def _shown(name: str, value: Any, facts: NodeFacts) -> str:
    if name == "max_points":
        return format_points(value)
    if name == "rule":
        return _rule_text(value) if facts.is_leaf else "—"
    if name == "order":
        return ", ".join(value)
    if name == "parent":
        return value or _("(top level)")
    return str(value) if value not in ("", None) else "—"


def diff_facts(old: SetFacts, new: SetFacts) -> SetDiff:
    """Compare two sets' facts."""
    details = [
        FieldChange(key, str(label), str(old.details[key] or "—"), str(new.details[key] or "—"))
        for key, label in DETAIL_FIELDS.items()
        if old.details[key] != new.details[key]
    ]
    changes: list[NodeChange] = []
    for code, after in new.nodes.items():
        before = old.nodes.get(code)
        if before is None:
            changes.append(
                NodeChange(code, after.name, after.depth, "added", None, after.max_points)
            )
            continue
        fields = []
        for name, label in NODE_FIELDS.items():
            old_value, new_value = getattr(before, name), getattr(after, name)
            if name == "order":
                # Only the order of children both versions have; additions are listed apart.
                kept = set(old_value) & set(new_value)
                old_value = tuple(c for c in old_value if c in kept)
                new_value = tuple(c for c in new_value if c in kept)
            if old_value != new_value:
                fields.append(
                    FieldChange(
                        name,
                        str(label),
                        _shown(name, old_value, before),
                        _shown(name, new_value, after),
                    )
                )
        if fields:
            changes.append(
                NodeChange(
                    code,
                    after.name,
                    after.depth,
                    "changed",
                    before.max_points,
                    after.max_points,
                    fields,
                )
            )
    for code, before in old.nodes.items():
        if code not in new.nodes:
            changes.append(
                NodeChange(code, before.name, before.depth, "removed", before.max_points, None)
            )
    return SetDiff(
        details=details, nodes=changes, max_total_old=old.max_total, max_total_new=new.max_total
    )
