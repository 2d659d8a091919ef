"""The index set as plain frozen data: bands and a tree of criteria with their scoring rules.

Build one with `parse_index_set` (which validates it); the fields mirror the canonical YAML
described in docs/design.md ("Interchange formats").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from parindex.engine.layout import Layout


class Kind(StrEnum):
    """What a top-level criterion does: count towards the maximum, or add or subtract points."""

    NORMAL = "normal"
    BONUS = "bonus"
    PENALTY = "penalty"


class Source(StrEnum):
    """Where a leaf's value comes from: the unit's self-assessment, the survey, or system data."""

    SELF = "self"
    SURVEY = "survey"
    COMPUTED = "computed"


class NAPolicy(StrEnum):
    """What 'not applicable' means for a leaf: refused, left out of the maximum, or full marks."""

    NONE = "none"
    EXCLUDE = "exclude"
    FULL = "full"


@dataclass(frozen=True)
class RangeRule:
    """Points entered directly, from 0 to the maximum in steps of `step`."""

    type: ClassVar[str] = "range"
    step: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class ChoiceOption:
    """One named option of a choice rule and the points it gives."""

    label: str
    points: Decimal


@dataclass(frozen=True)
class ChoiceRule:
    """Points of the option chosen (e.g. on time 1 / late 0.5 / not issued 0)."""

    type: ClassVar[str] = "choice"
    options: tuple[ChoiceOption, ...]


@dataclass(frozen=True)
class Tier:
    """A tier of a percent_tiers rule: from `min_percent` upwards, `points`."""

    min_percent: Decimal
    points: Decimal


@dataclass(frozen=True)
class PercentTiersRule:
    """Points of the first tier (highest first) the percentage reaches; below every tier, 0."""

    type: ClassVar[str] = "percent_tiers"
    tiers: tuple[Tier, ...]


@dataclass(frozen=True)
class ProportionalRule:
    """Maximum × percentage / 100, rounded half-up to hundredths of a point."""

    type: ClassVar[str] = "proportional"


@dataclass(frozen=True)
class DeductionRule:
    """Maximum minus `per_item` for each counted item (late or missing), never below 0."""

    type: ClassVar[str] = "deduction"
    per_item: Decimal


Rule = RangeRule | ChoiceRule | PercentTiersRule | ProportionalRule | DeductionRule
DEFAULT_RULE = RangeRule()


@dataclass(frozen=True)
class Criterion:
    """A node of the criteria tree: an area, criterion or sub-criterion (a leaf has a rule)."""

    code: str
    name: str
    max_points: Decimal
    kind: Kind = Kind.NORMAL
    source: Source = Source.SELF
    not_applicable: NAPolicy = NAPolicy.NONE
    rule: Rule | None = None  # leaves only; None on a leaf means DEFAULT_RULE
    owner: str = ""
    evidence: str = ""
    guidance: str = ""
    children: tuple[Criterion, ...] = ()

    @property
    def is_leaf(self) -> bool:
        """Whether the criterion is scored directly (it has no sub-criteria)."""
        return not self.children

    @property
    def scoring_rule(self) -> Rule:
        """The rule that scores this leaf, the default range rule when none is given."""
        return self.rule if self.rule is not None else DEFAULT_RULE

    def walk(self) -> Iterator[Criterion]:
        """This criterion and everything under it, parents before children, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Criterion]:
        """The leaves under this criterion (itself if it is a leaf), in document order."""
        return (node for node in self.walk() if node.is_leaf)


@dataclass(frozen=True)
class Band:
    """A classification band: units whose published index reaches `min_percent` (e.g. Tốt ≥ 90)."""

    code: str
    name: str
    min_percent: Decimal


@dataclass(frozen=True)
class IndexSet:
    """A PAR index set for one unit type: bands (highest first) and top-level criteria."""

    code: str
    name: str
    unit_type: str
    valid_from: int
    legal_basis: str = ""
    bands: tuple[Band, ...] = ()
    criteria: tuple[Criterion, ...] = ()

    def walk(self) -> Iterator[Criterion]:
        """Every criterion of the set, parents before children, in document order."""
        for node in self.criteria:
            yield from node.walk()

    def leaves(self) -> Iterator[Criterion]:
        """Every leaf criterion of the set, in document order."""
        return (node for node in self.walk() if node.is_leaf)

    def criterion(self, code: str) -> Criterion:
        """The criterion with this code; EngineError `unknown_criterion` if there is none."""
        return self.layout.node(code)

    @property
    def areas(self) -> tuple[Criterion, ...]:
        """The top-level normal criteria (areas, lĩnh vực) whose points make up the maximum."""
        return tuple(node for node in self.criteria if node.kind == Kind.NORMAL)

    @property
    def max_points(self) -> Decimal:
        """The nominal maximum: every area's maximum, before any leaf is excluded as N/A."""
        return sum((area.max_points for area in self.areas), Decimal(0))

    @cached_property
    def layout(self) -> Layout:
        """The set flattened for fast scoring (built once per IndexSet object)."""
        from parindex.engine.layout import Layout

        return Layout(self)

    def __getstate__(self) -> dict[str, Any]:
        # The cached layout is derived from the set: leave it out and let it be rebuilt when
        # needed (pickled with the set, it would be rebuilt from a half-restored set).
        return {key: value for key, value in self.__dict__.items() if key != "layout"}
