"""Engine answers as stored JSON and as typed by people, and their short Vietnamese display.

Stored form (Item.self_answer, appraised_answer, survey_answer):
`{"points": "0.5"}`, `{"choice": "Đúng hạn"}`, `{"percent": "87.5"}`, `{"ratio": [9, 10]}`,
`{"count": 2}`, `{"na": true}`. Raw points are a plain `Decimal` for the engine, which checks
them against any rule (and the step on a range rule).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, overload

from django.utils.translation import gettext as _

from parindex.core.formatting import format_number, format_points
from parindex.core.numbers import NumberInvalid, typed_number
from parindex.core.refusals import Refused
from parindex.engine import (
    Answer,
    Choice,
    ChoiceRule,
    Count,
    Criterion,
    DeductionRule,
    NotApplicable,
    Percent,
    PercentTiersRule,
    Points,
    ProportionalRule,
    Ratio,
)


class InputInvalid(Refused):
    """What a person typed is not a value for the leaf; the message says why, in Vietnamese."""

    default_code = "answer.invalid"


def to_json(answer: Answer | None) -> dict[str, Any] | None:
    """The stored JSON form of an engine answer (None stays None: no value)."""
    if answer is None:
        return None
    if isinstance(answer, Decimal):
        return {"points": str(answer)}
    if isinstance(answer, Points):
        return {"points": str(answer.value)}
    if isinstance(answer, Choice):
        return {"choice": answer.label}
    if isinstance(answer, Percent):
        return {"percent": str(answer.value)}
    if isinstance(answer, Ratio):
        return {"ratio": [answer.numerator, answer.denominator]}
    if isinstance(answer, Count):
        return {"count": answer.n}
    if isinstance(answer, NotApplicable):
        return {"na": True}
    raise TypeError(f"not an answer: {answer!r}")


@overload
def from_json(data: dict[str, Any]) -> Answer: ...
@overload
def from_json(data: None) -> None: ...
@overload
def from_json(data: dict[str, Any] | None) -> Answer | None: ...
def from_json(data: dict[str, Any] | None) -> Answer | None:
    """The engine answer behind a stored JSON value."""
    if data is None:
        return None
    if "points" in data:
        return Decimal(data["points"])
    if "choice" in data:
        return Choice(data["choice"])
    if "percent" in data:
        return Percent(Decimal(data["percent"]))
    if "ratio" in data:
        numerator, denominator = data["ratio"]
        return Ratio(int(numerator), int(denominator))
    if "count" in data:
        return Count(int(data["count"]))
    if data.get("na"):
        return NotApplicable()
    raise ValueError(f"not a stored answer: {data!r}")


def is_na(data: dict[str, Any] | None) -> bool:
    return bool(data and data.get("na"))


def input_kind(node: Criterion) -> str:
    """The input a leaf's rule asks for: choice, percent (or n/d), count, or points."""
    rule = node.scoring_rule
    if isinstance(rule, ChoiceRule):
        return "choice"
    if isinstance(rule, PercentTiersRule | ProportionalRule):
        return "percent"
    if isinstance(rule, DeductionRule):
        return "count"
    return "points"


PERCENT_LIMIT = 100  # a rate is a percentage
COUNT_LIMIT = 100_000  # late or missing items on a deduction leaf
RATIO_LIMIT = 1_000_000_000  # done or due (reports, files, tasks)
RATIO = re.compile(r"([^/]*)/([^/]*)")


def decimal_from_text(text: str, *, limit: Decimal | int, decimals: int = 2) -> Decimal:
    """A number typed the Vietnamese way (0,5) or the international way (0.5), within bounds."""
    try:
        return typed_number(text, limit=limit, decimals=decimals)
    except NumberInvalid as invalid:
        raise InputInvalid(str(invalid)) from None


def parse_input(node: Criterion, text: str, *, na: bool = False) -> Answer | None:
    """The answer a person typed for a leaf (None when the field was emptied)."""
    if na:
        return NotApplicable()
    text = (text or "").strip()
    if not text:
        return None
    kind = input_kind(node)
    if kind == "choice":
        return Choice(text)
    if kind == "percent":
        if match := RATIO.fullmatch(text):
            done, due = (
                decimal_from_text(part, limit=RATIO_LIMIT, decimals=0) for part in match.groups()
            )
            return Ratio(int(done), int(due))
        return Percent(decimal_from_text(text.removesuffix("%"), limit=PERCENT_LIMIT))
    if kind == "count":
        try:
            return Count(int(typed_number(text, limit=COUNT_LIMIT, decimals=0)))
        except NumberInvalid as invalid:
            if invalid.code != "not_a_number":
                raise InputInvalid(str(invalid)) from None
            raise InputInvalid(
                _("“%(text)s” is not a count: type a whole number (0, 1, 2…).") % {"text": text},
                code="answer.not_a_count",
            ) from None
    return decimal_from_text(text, limit=node.max_points)


def input_text(data: dict[str, Any] | None) -> str:
    """What the input field shows for a stored value (empty for none or N/A)."""
    if data is None or data.get("na"):
        return ""
    if "choice" in data:
        return data["choice"]
    if "ratio" in data:
        return f"{data['ratio'][0]}/{data['ratio'][1]}"
    if "count" in data:
        return str(data["count"])
    key = "percent" if "percent" in data else "points"
    return format_points(Decimal(data[key])).replace(".", "")


def describe(data: dict[str, Any] | None) -> str:
    """A stored value in a few words for tables and history (e.g. 'Đúng hạn', '9/10', '87,5%')."""
    if data is None:
        return "—"
    if data.get("na"):
        return _("Not applicable")
    if "choice" in data:
        return data["choice"]
    if "ratio" in data:
        numerator, denominator = data["ratio"]
        return f"{numerator}/{denominator}"
    if "count" in data:
        return _("%(n)s item(s)") % {"n": data["count"]}
    if "percent" in data:
        return f"{format_number(Decimal(data['percent']), 2).rstrip('0').rstrip(',')}%"
    return _("%(points)s pts") % {"points": format_points(Decimal(data["points"]))}
