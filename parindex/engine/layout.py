"""An index set flattened for fast scoring: leaves in document order, subtrees as slices.

In document (pre-)order the leaves under any criterion are contiguous, so a criterion is the
slice `[start, end)` of the leaf list and its points are the sum of that slice. Points are held
as ints in hundredths of a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from parindex.engine.decimals import spec_hundredths
from parindex.engine.errors import EngineError, fail
from parindex.engine.model import Band, Criterion, Kind, Source
from parindex.engine.rules import Evaluator, evaluator

if TYPE_CHECKING:
    from parindex.engine.model import IndexSet


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per criterion
class Span:
    """A criterion located in the leaf list: its leaves are `leaves[start:end]`."""

    node: Criterion
    start: int
    end: int
    depth: int  # 1 for a top-level criterion
    kind: Kind  # the kind of its top-level ancestor
    max_h: int  # nominal maximum (the cap, for bonus and penalty), in hundredths


class Layout:
    """Leaf order, per-leaf maxima and evaluators, and the span of every criterion."""

    def __init__(self, index_set: IndexSet) -> None:
        leaves: list[Criterion] = []
        order: list[str] = []  # codes, parents before children
        spans: dict[str, Span] = {}

        def visit(node: Criterion, depth: int, kind: Kind) -> None:
            start = len(leaves)
            order.append(node.code)
            if node.is_leaf:
                leaves.append(node)
            for child in node.children:
                visit(child, depth + 1, kind)
            max_h = spec_hundredths(node.max_points)
            spans[node.code] = Span(node, start, len(leaves), depth, kind, max_h)

        for top in index_set.criteria:
            visit(top, 1, top.kind)

        self.index_set = index_set
        self.bands = index_set.bands
        self.leaves: tuple[Criterion, ...] = tuple(leaves)
        self.leaf_codes = tuple(leaf.code for leaf in leaves)
        # every criterion by code, parents before children (document order)
        self.spans: dict[str, Span] = {code: spans[code] for code in order}
        self.leaf_index: dict[str, int] = {leaf.code: i for i, leaf in enumerate(leaves)}
        self.leaf_max_h: list[int] = [spans[leaf.code].max_h for leaf in leaves]
        self.evaluators: list[Evaluator] = [evaluator(leaf) for leaf in leaves]
        self.is_survey: list[bool] = [leaf.source == Source.SURVEY for leaf in leaves]
        tops = [spans[node.code] for node in index_set.criteria]
        self.areas: list[Span] = [span for span in tops if span.kind == Kind.NORMAL]
        self.bonuses: list[Span] = [span for span in tops if span.kind == Kind.BONUS]
        self.penalties: list[Span] = [span for span in tops if span.kind == Kind.PENALTY]
        # position in self.areas of each leaf's area; -1 for leaves under bonus or penalty
        self.leaf_area: list[int] = [-1] * len(leaves)
        for position, area in enumerate(self.areas):
            self.leaf_area[area.start : area.end] = [position] * (area.end - area.start)

    def __reduce__(self) -> tuple[type[Layout], tuple[IndexSet]]:
        # Evaluators are closures, which cannot be pickled: rebuild the layout from its set.
        return Layout, (self.index_set,)

    def span(self, code: str) -> Span:
        """Where the criterion with this code sits; EngineError if the set has no such code."""
        try:
            return self.spans[code]
        except KeyError:
            raise fail("unknown_criterion", code, code=code) from None

    def node(self, code: str) -> Criterion:
        """The criterion with this code; EngineError if the set has no such code."""
        return self.span(code).node

    def leaf_error(self, code: str) -> EngineError:
        """The error for an answer to `code`, which is not a leaf: unknown, or a branch."""
        if code in self.spans:
            return fail("not_a_leaf", code, code=code)
        return fail("unknown_criterion", code, code=code)

    def band_for(self, index_percent: Decimal) -> Band:
        """The band a published index falls in: the first (highest) whose minimum it reaches."""
        for band in self.bands:
            if index_percent >= band.min_percent:
                return band
        return self.bands[-1]
