"""Writing the canonical index-set spec: defaults left out, keys in docs/design.md's order.

Numbers come out as an int when whole and otherwise as the float whose shortest form is the
decimal (0.5, 0.25), so `yaml.safe_dump` writes them exactly as a person would.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.model import (
    DEFAULT_RULE,
    ChoiceRule,
    Criterion,
    DeductionRule,
    IndexSet,
    Kind,
    NAPolicy,
    PercentTiersRule,
    RangeRule,
    Rule,
    Source,
)


def to_spec(index_set: IndexSet) -> dict[str, Any]:
    """The canonical spec dict of an index set: defaults left out, keys in the documented order."""
    spec: dict[str, Any] = {
        "code": index_set.code,
        "name": index_set.name,
        "unit_type": index_set.unit_type,
        "valid_from": index_set.valid_from,
    }
    if index_set.legal_basis:
        spec["legal_basis"] = index_set.legal_basis
    spec["bands"] = [
        {"code": band.code, "name": band.name, "min_percent": _number(band.min_percent)}
        for band in index_set.bands
    ]
    spec["criteria"] = [_node_spec(node) for node in index_set.criteria]
    return spec


def _node_spec(node: Criterion) -> dict[str, Any]:
    spec: dict[str, Any] = {"code": node.code, "name": node.name}
    if node.kind != Kind.NORMAL:
        spec["kind"] = str(node.kind)
    children_max = sum((child.max_points for child in node.children), Decimal(0))
    if node.is_leaf or node.max_points != children_max:
        spec["max_points"] = _number(node.max_points)
    if node.is_leaf:
        if node.source != Source.SELF:
            spec["source"] = str(node.source)
        if node.scoring_rule != DEFAULT_RULE:
            spec["rule"] = _rule_spec(node.scoring_rule)
        if node.not_applicable != NAPolicy.NONE:
            spec["not_applicable"] = str(node.not_applicable)
    for key in ("owner", "evidence", "guidance"):
        if getattr(node, key):
            spec[key] = getattr(node, key)
    if node.children:
        spec["children"] = [_node_spec(child) for child in node.children]
    return spec


def _rule_spec(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, RangeRule):
        return {"type": rule.type, "step": _number(rule.step)}
    if isinstance(rule, ChoiceRule):
        options = [{"label": o.label, "points": _number(o.points)} for o in rule.options]
        return {"type": rule.type, "options": options}
    if isinstance(rule, PercentTiersRule):
        tiers = [
            {"min_percent": _number(t.min_percent), "points": _number(t.points)} for t in rule.tiers
        ]
        return {"type": rule.type, "tiers": tiers}
    if isinstance(rule, DeductionRule):
        return {"type": rule.type, "per_item": _number(rule.per_item)}
    return {"type": rule.type}


def _number(value: Decimal) -> int | float:
    """Canonical number: an int when whole, else the float whose shortest repr is the decimal."""
    # Every value here has at most 2 decimals, so float repr gives back exactly those digits.
    return int(value) if value == value.to_integral_value() else float(value)
