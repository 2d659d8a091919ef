"""Reading an index-set spec: build the model and collect every problem, not just the first.

Problem paths are slash-separated: criteria by code (`criteria/1/1.1/1.1.2/rule/tiers/2`), list
items by 1-based position (`bands/3`, `rule/options/2`), and a criterion whose code is missing
or unusable by `#position` among its siblings (`criteria/2/#3`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from parindex.engine.errors import IndexSetInvalid
from parindex.engine.model import (
    DEFAULT_RULE,
    Band,
    ChoiceOption,
    ChoiceRule,
    Criterion,
    DeductionRule,
    IndexSet,
    Kind,
    Metric,
    NAPolicy,
    PercentTiersRule,
    ProportionalRule,
    RangeRule,
    Rule,
    Source,
    Tier,
)
from parindex.engine.spec.fields import FieldReader, join
from parindex.engine.spec.writer import to_spec

# Keys in canonical order (docs/design.md); required ones listed separately.
SET_KEYS = ("code", "name", "unit_type", "valid_from", "legal_basis", "bands", "criteria")
SET_REQUIRED = ("code", "name", "unit_type", "valid_from", "bands", "criteria")
BAND_KEYS = ("code", "name", "min_percent")
NODE_KEYS = (
    "code",
    "name",
    "kind",
    "max_points",
    "source",
    "input",
    "rule",
    "not_applicable",
    "owner",
    "evidence",
    "guidance",
    "children",
)
NODE_REQUIRED = ("code", "name")
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "range": ("type", "step"),
    "choice": ("type", "options"),
    "percent_tiers": ("type", "tiers"),
    "proportional": ("type",),
    "deduction": ("type", "per_item"),
}
RULE_REQUIRED: dict[str, tuple[str, ...]] = {
    "range": ("type",),
    "choice": ("type", "options"),
    "percent_tiers": ("type", "tiers"),
    "proportional": ("type",),
    "deduction": ("type", "per_item"),
}


def parse_index_set(spec: Mapping[str, Any]) -> IndexSet:
    """Read an index set from its spec dict, or raise IndexSetInvalid listing every problem."""
    reader = _Reader()
    index_set = reader.index_set(spec)
    if reader.problems or index_set is None:
        raise IndexSetInvalid(reader.problems)
    return index_set


def validate_index_set(index_set: IndexSet) -> None:
    """Check an IndexSet built in code by the same rules as a spec; IndexSetInvalid if broken."""
    parse_index_set(to_spec(index_set))


class _Reader(FieldReader):
    """Walks a spec, building the model and collecting every problem instead of stopping."""

    def __init__(self) -> None:
        super().__init__()
        self.seen_codes: dict[str, str] = {}

    # -- the set and its bands --------------------------------------------------------------------

    def index_set(self, spec: Any) -> IndexSet | None:
        """The whole set; None when it cannot be built (the problems say why)."""
        if not self.is_mapping(spec, ""):
            return None
        self.check_keys(spec, "", SET_KEYS, SET_REQUIRED)
        code = self.code(spec, "")
        name = self.text(spec, "name", "")
        unit_type = self.code(spec, "", key="unit_type")
        valid_from = self.year(spec)
        legal_basis = self.text(spec, "legal_basis", "")
        bands = self.bands(spec.get("bands"))
        criteria: list[Criterion | None] = []
        raw_criteria = spec.get("criteria")
        if raw_criteria is not None and self.is_list(raw_criteria, "criteria"):
            criteria = [
                self.node(raw, "criteria", position, depth=1, category=None)
                for position, raw in enumerate(raw_criteria, start=1)
            ]
            if not any(node and node.kind == Kind.NORMAL for node in criteria):
                self.problem("criteria", "no_criteria")
        if any(node is None for node in criteria):
            return None
        return IndexSet(
            code=code or "",
            name=name,
            unit_type=unit_type or "",
            valid_from=valid_from or 0,
            legal_basis=legal_basis,
            bands=bands,
            criteria=tuple(node for node in criteria if node is not None),
        )

    def bands(self, raw: Any) -> tuple[Band, ...]:
        """The bands, highest first, the last from 0 percent."""
        if raw is None or not self.is_list(raw, "bands"):
            return ()
        if not raw:
            self.problem("bands", "no_bands")
        bands: list[Band] = []
        codes: set[str] = set()
        previous: Decimal | None = None
        for position, item in enumerate(raw, start=1):
            path = f"bands/{position}"
            if not self.is_mapping(item, path):
                continue
            self.check_keys(item, path, BAND_KEYS, BAND_KEYS)
            code = self.code(item, path)
            if code is not None and code in codes:
                self.problem(join(path, "code"), "duplicate_band_code", code=code)
            codes.add(code or "")
            min_percent = self.percent(item, "min_percent", path)
            if min_percent is None:
                continue
            if previous is not None and min_percent >= previous:
                self.problem(
                    join(path, "min_percent"),
                    "bands_not_descending",
                    min_percent=min_percent,
                    previous=previous,
                )
            previous = min_percent
            bands.append(Band(code or "", self.text(item, "name", path), min_percent))
        if previous is not None and previous != 0:
            self.problem(
                f"bands/{len(raw)}/min_percent", "last_band_not_zero", min_percent=previous
            )
        return tuple(bands)

    # -- criteria ---------------------------------------------------------------------------------

    def node(
        self, raw: Any, parent: str, position: int, depth: int, category: Kind | None
    ) -> Criterion | None:
        """A criterion and its subtree; None when its maximum cannot be known."""
        if not self.is_mapping(raw, join(parent, f"#{position}")):
            return None
        code = self.code(raw, join(parent, f"#{position}"))
        path = join(parent, code if code is not None else f"#{position}")
        self.check_keys(raw, path, NODE_KEYS, NODE_REQUIRED)
        if code is not None:
            if code in self.seen_codes:
                self.problem(path, "duplicate_code", code=code, first_path=self.seen_codes[code])
            else:
                self.seen_codes[code] = path
        kind = self.enum(raw, "kind", path, Kind, Kind.NORMAL)
        if depth > 1 and kind != Kind.NORMAL:
            self.problem(join(path, "kind"), "kind_not_top_level", kind=str(kind))
        category = category or kind
        raw_children = raw.get("children")
        has_children = raw_children is not None and self.is_list(raw_children, path, "children")
        if has_children and not raw_children:
            self.problem(join(path, "children"), "no_children")
            return None  # neither a leaf nor a branch: nothing more to check
        common: dict[str, Any] = {
            "code": code or "",
            "name": self.text(raw, "name", path),
            "kind": kind,
            "owner": self.text(raw, "owner", path),
            "evidence": self.text(raw, "evidence", path),
            "guidance": self.text(raw, "guidance", path),
        }
        max_points = self.number(raw, "max_points", path)
        if has_children:
            children = [
                self.node(child, path, child_position, depth + 1, category)
                for child_position, child in enumerate(raw_children, start=1)
            ]
            return self.branch(raw, path, category, max_points, children, common)
        return self.leaf(raw, path, category, max_points, common)

    def branch(
        self,
        raw: Mapping[str, Any],
        path: str,
        category: Kind,
        max_points: Decimal | None,
        children: list[Criterion | None],
        common: dict[str, Any],
    ) -> Criterion | None:
        """A criterion with children: no leaf fields, its maximum the sum (or a cap) of theirs."""
        if "rule" in raw:
            self.problem(join(path, "rule"), "branch_has_rule")
        for key in ("source", "input", "not_applicable"):
            if key in raw:
                self.problem(join(path, key), "leaf_field_on_branch", field=key)
        known = [child for child in children if child is not None]
        if len(known) < len(children):
            return None
        children_sum = sum((child.max_points for child in known), Decimal(0))
        where = join(path, "max_points")
        if max_points is None:
            if "max_points" in raw:  # given but unreadable; already reported
                return None
            max_points = children_sum
        elif category == Kind.NORMAL and max_points != children_sum:
            self.problem(where, "max_mismatch", max_points=max_points, children_sum=children_sum)
        elif category != Kind.NORMAL and max_points <= 0:
            self.problem(where, "not_positive", field="max_points", value=max_points)
        elif category != Kind.NORMAL and max_points > children_sum:
            self.problem(
                where, "cap_above_children", max_points=max_points, children_sum=children_sum
            )
        return Criterion(max_points=max_points, children=tuple(known), **common)

    def leaf(
        self,
        raw: Mapping[str, Any],
        path: str,
        category: Kind,
        max_points: Decimal | None,
        common: dict[str, Any],
    ) -> Criterion | None:
        """A leaf criterion: a positive maximum and a rule consistent with it."""
        source = self.enum(raw, "source", path, Source, Source.SELF)
        policy = self.enum(raw, "not_applicable", path, NAPolicy, NAPolicy.NONE)
        if category != Kind.NORMAL and policy != NAPolicy.NONE:
            self.problem(join(path, "not_applicable"), "na_in_bonus_penalty", value=str(policy))
        if max_points is None:
            if "max_points" not in raw or raw["max_points"] is None:
                self.problem(path, "missing_field", field="max_points")
        elif max_points <= 0:
            self.problem(
                join(path, "max_points"), "not_positive", field="max_points", value=max_points
            )
            max_points = None
        rule = self.rule(raw.get("rule"), join(path, "rule"), max_points, category)
        metric = self.metric(raw, path, source, rule)
        if max_points is None:
            return None
        return Criterion(
            max_points=max_points,
            source=source,
            not_applicable=policy,
            rule=rule,
            input=metric,
            **common,
        )

    def metric(
        self, raw: Mapping[str, Any], path: str, source: Source, rule: Rule
    ) -> Metric | None:
        """A computed leaf's `input` (the rate it is scored on), scored by a percentage rule."""
        if source != Source.COMPUTED:
            if "input" in raw:
                self.problem(join(path, "input"), "input_not_computed")
            return None
        if raw.get("input") is None:
            return None  # a computed leaf without an input is given its value by hand
        if not isinstance(rule, PercentTiersRule | ProportionalRule):
            self.problem(join(path, "rule"), "computed_rule", rule=rule.type)
        value = raw["input"]
        try:
            return Metric(value)
        except ValueError:
            allowed = ", ".join(member.value for member in Metric)
            self.problem(
                join(path, "input"), "invalid_value", field="input", value=value, allowed=allowed
            )
            return None

    # -- rules ------------------------------------------------------------------------------------

    def rule(self, raw: Any, path: str, max_points: Decimal | None, category: Kind) -> Rule:
        """A leaf's rule (the default range rule when absent), checked against its maximum."""
        if raw is None or not self.is_mapping(raw, path):
            return DEFAULT_RULE
        rule_type = raw.get("type")
        if rule_type is None:
            self.problem(path, "missing_field", field="type")
            return DEFAULT_RULE
        if not isinstance(rule_type, str) or rule_type not in RULE_KEYS:
            allowed = ", ".join(RULE_KEYS)
            self.problem(
                join(path, "type"), "invalid_value", field="type", value=rule_type, allowed=allowed
            )
            return DEFAULT_RULE
        self.check_keys(raw, path, RULE_KEYS[rule_type], RULE_REQUIRED[rule_type])
        build: dict[str, Callable[[Mapping[str, Any], str, Decimal | None], Rule]] = {
            "range": self.rule_range,
            "choice": self.rule_choice,
            "percent_tiers": self.rule_percent_tiers,
            "proportional": self.rule_proportional,
            "deduction": self.rule_deduction,
        }
        if rule_type == "deduction" and category == Kind.PENALTY:
            self.problem(join(path, "type"), "deduction_in_penalty")
        return build[rule_type](raw, path, max_points)

    def rule_range(self, raw: Mapping[str, Any], path: str, max_points: Decimal | None) -> Rule:
        """A range rule: a step above 0 that divides the maximum."""
        step = self.number(raw, "step", path)
        if step is None:
            return DEFAULT_RULE
        if step <= 0:
            self.problem(join(path, "step"), "not_positive", field="step", value=step)
        elif max_points is not None and max_points % step:
            self.problem(join(path, "step"), "step_not_divisor", step=step, max_points=max_points)
        return RangeRule(step)

    def rule_choice(self, raw: Mapping[str, Any], path: str, max_points: Decimal | None) -> Rule:
        """A choice rule: uniquely labelled options within 0..max, the best giving max."""
        options: list[ChoiceOption] = []
        items = self.items(raw, "options", path, "no_options")
        labels: set[str] = set()
        for item_path, item in items:
            self.check_keys(item, item_path, ("label", "points"), ("label", "points"))
            label = self.text(item, "label", item_path)
            if label in labels:
                self.problem(join(item_path, "label"), "duplicate_label", label=label)
            labels.add(label)
            option_points = self.points(item, item_path, max_points)
            if option_points is not None:
                options.append(ChoiceOption(label, option_points))
        if max_points is not None and len(options) == len(items) and options:
            best = max(option.points for option in options)
            if best < max_points:
                where = join(path, "options")
                self.problem(where, "best_option_below_max", best=best, max_points=max_points)
        return ChoiceRule(tuple(options))

    def rule_percent_tiers(
        self, raw: Mapping[str, Any], path: str, max_points: Decimal | None
    ) -> Rule:
        """A percent_tiers rule: thresholds strictly descending, points non-increasing."""
        tiers: list[Tier] = []
        items = self.items(raw, "tiers", path, "no_tiers")
        previous: Tier | None = None
        for item_path, item in items:
            self.check_keys(item, item_path, ("min_percent", "points"), ("min_percent", "points"))
            min_percent = self.percent(item, "min_percent", item_path)
            tier_points = self.points(item, item_path, max_points)
            if min_percent is None or tier_points is None:
                previous = None
                continue
            tier = Tier(min_percent, tier_points)
            if previous is not None and tier.min_percent >= previous.min_percent:
                self.problem(
                    join(item_path, "min_percent"),
                    "tiers_not_descending",
                    min_percent=min_percent,
                    previous=previous.min_percent,
                )
            if previous is not None and tier.points > previous.points:
                self.problem(
                    join(item_path, "points"),
                    "tier_points_increasing",
                    points=tier_points,
                    previous=previous.points,
                )
            tiers.append(tier)
            previous = tier
        complete = len(tiers) == len(items) and tiers
        if max_points is not None and complete and tiers[0].points < max_points:
            self.problem(
                join(path, "tiers/1/points"),
                "best_tier_below_max",
                best=tiers[0].points,
                max_points=max_points,
            )
        return PercentTiersRule(tuple(tiers))

    def rule_proportional(
        self, raw: Mapping[str, Any], path: str, max_points: Decimal | None
    ) -> Rule:
        """A proportional rule, which has no parameters."""
        return ProportionalRule()

    def rule_deduction(self, raw: Mapping[str, Any], path: str, max_points: Decimal | None) -> Rule:
        """A deduction rule: points per counted item, above 0."""
        per_item = self.number(raw, "per_item", path)
        if per_item is not None and per_item <= 0:
            self.problem(join(path, "per_item"), "not_positive", field="per_item", value=per_item)
        return DeductionRule(per_item if per_item is not None else Decimal(1))

    def items(
        self, raw: Mapping[str, Any], key: str, path: str, empty_code: str
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """The mapping items of a rule's list (options, tiers) with their paths."""
        values = raw.get(key)
        if values is None or not self.is_list(values, path, key):
            return []
        if not values:
            self.problem(join(path, key), empty_code)
        found = []
        for position, item in enumerate(values, start=1):
            item_path = join(path, f"{key}/{position}")
            if self.is_mapping(item, item_path):
                found.append((item_path, item))
        return found

    def points(
        self, item: Mapping[str, Any], path: str, max_points: Decimal | None
    ) -> Decimal | None:
        """The `points` of an option or tier: from 0 up to the leaf's maximum."""
        value = self.number(item, "points", path)
        if value is None:
            return None
        if value < 0:
            self.problem(join(path, "points"), "negative_number", field="points", value=value)
            return None
        if max_points is not None and value > max_points:
            self.problem(
                join(path, "points"), "points_above_max", points=value, max_points=max_points
            )
            return None
        return value
