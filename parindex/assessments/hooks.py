"""What apps above assessments add to its pages, without assessments importing them.

Assessments sits below monitoring and results (DESIGN.md "Layout"), yet its self-assessment and
appraisal pages must show the values of computed criteria (from monitoring's tasks, reports and
findings; from the snapshot once a round is published) and, beside a criterion, the remediation
task meant to fix last year's loss. Those apps register sources here from their
`AppConfig.ready()`; assessments asks the registry and shows what comes back.

- A computed source takes a round, the computed leaves (engine criteria with an `input`) and
  unit ids, and returns each unit's `ComputedValue` per leaf code, or None when it does not
  handle the round (so the snapshot's source, registered first, answers for published rounds).
- A remark source takes an assessment and returns `Remark`s per criterion code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parindex import engine

if TYPE_CHECKING:
    from parindex.assessments.models import Assessment
    from parindex.rounds.models import Round


@dataclass(frozen=True)
class Basis:
    """One task, report or finding a computed value stands on, and whether it counted."""

    kind: str  # "task", "report" or "finding"
    label: str
    due_on: str  # ISO dates: the lists are frozen in the snapshot as JSON
    done_on: str = ""
    is_counted: bool = False
    url: str = ""
    evidence: str = ""  # the document's title, and where to open it
    evidence_url: str = ""

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

    @property
    def due_date(self) -> dt.date:
        return dt.date.fromisoformat(self.due_on)

    @property
    def done_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.done_on) if self.done_on else None


@dataclass(frozen=True)
class ComputedValue:
    """A computed leaf's value for one unit: the ratio (numerator over what was due), the answer
    the engine scores (stored JSON form), the day it was taken at, and the list behind it."""

    code: str
    metric: str
    numerator: int
    denominator: int
    answer: dict[str, Any]
    as_of: str
    basis: tuple[Basis, ...] = field(default=())

    @property
    def metric_label(self) -> str:
        """The input's name (e.g. 'Báo cáo gửi đúng hạn')."""
        from parindex.indexsets.models import Criterion

        return str(Criterion.Input(self.metric).label)

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 2)

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "answer": self.answer,
            "as_of": self.as_of,
            "basis": [line.as_json() for line in self.basis],
        }

    @classmethod
    def from_json(cls, code: str, data: Mapping[str, Any]) -> ComputedValue:
        return cls(
            code=code,
            metric=data["metric"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            answer=dict(data["answer"]),
            as_of=data["as_of"],
            basis=tuple(Basis(**line) for line in data.get("basis", ())),
        )


@dataclass(frozen=True)
class Remark:
    """Something shown beside a criterion (e.g. the task meant to fix last year's loss)."""

    label: str
    status: str  # a status code with a colour (see _status.html)
    status_label: str
    url: str = ""
    detail: str = ""


ComputedSource = Callable[
    ["Round", Sequence[engine.Criterion], Sequence[int], bool],
    "dict[int, dict[str, ComputedValue]] | None",
]
RemarkSource = Callable[["Assessment"], "dict[str, list[Remark]]"]

_computed_sources: list[ComputedSource] = []
_remark_sources: list[RemarkSource] = []


def register_computed(source: ComputedSource, *, first: bool = False) -> None:
    """Add a source of computed values (`first`: asked before the others)."""
    if source in _computed_sources:
        return
    if first:
        _computed_sources.insert(0, source)
    else:
        _computed_sources.append(source)


def register_remarks(source: RemarkSource) -> None:
    if source not in _remark_sources:
        _remark_sources.append(source)


def computed_leaves(index_set: engine.IndexSet) -> list[engine.Criterion]:
    """The leaves whose value the system computes (source computed, with an input)."""
    return [
        leaf
        for leaf in index_set.leaves()
        if leaf.source == engine.Source.COMPUTED and leaf.input is not None
    ]


def computed_values(
    round_: Round,
    index_set: engine.IndexSet,
    unit_ids: Sequence[int],
    *,
    with_basis: bool = False,
) -> dict[int, dict[str, ComputedValue]]:
    """Each unit's computed values on an index set's computed leaves (empty when it has none
    or no source is registered)."""
    leaves = computed_leaves(index_set)
    if not leaves or not unit_ids:
        return {}
    for source in _computed_sources:
        found = source(round_, leaves, unit_ids, with_basis)
        if found is not None:
            return found
    return {}


def computed_answers(values: Mapping[str, ComputedValue]) -> dict[str, engine.Answer]:
    """The engine answers of some computed values, by leaf code."""
    from parindex.assessments.answers import from_json

    return {
        code: answer
        for code, value in values.items()
        if (answer := from_json(value.answer)) is not None
    }


def remarks(assessment: Assessment) -> dict[str, list[Remark]]:
    """Everything the registered sources show beside the criteria of an assessment."""
    found: dict[str, list[Remark]] = {}
    for source in _remark_sources:
        for code, items in source(assessment).items():
            found.setdefault(code, []).extend(items)
    return found
