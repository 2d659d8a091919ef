"""What a unit, an appraiser or the survey gives for one leaf criterion.

A plain `Decimal` is also an answer: the points themselves (appraised overrides, imports).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Stage(StrEnum):
    """Who gave a value, as in the scores CSV: the unit, the appraisers, or the survey."""

    SELF = "self"
    APPRAISED = "appraised"
    SURVEY = "survey"


@dataclass(frozen=True, slots=True)
class Points:
    """Points entered on a range leaf: a multiple of its step, from 0 to its maximum."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class Choice:
    """The option chosen on a choice leaf, by its label."""

    label: str


@dataclass(frozen=True, slots=True)
class Percent:
    """A percentage from 0 to 100 for a percent_tiers or proportional leaf."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class Ratio:
    """Done out of due (e.g. 9 of 10 reports on time) for a percent_tiers or proportional leaf."""

    numerator: int
    denominator: int


@dataclass(frozen=True, slots=True)
class Count:
    """The number of late or missing items on a deduction leaf."""

    n: int


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """The leaf does not apply to the unit; its N/A policy says what that means."""


Answer = Points | Choice | Percent | Ratio | Count | NotApplicable | Decimal
