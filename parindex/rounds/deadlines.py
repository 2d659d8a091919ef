"""Deadlines of a round for one unit: the round's phase dates, moved by the unit's extensions.

A deadline is a calendar day in the province's time zone; work is accepted until the end of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from parindex.rounds.models import Extension, Round

ExtensionMap = Mapping[tuple[int, str], dt.date]  # (unit id, phase) -> extended day


def today() -> dt.date:
    """The current day in the province's time zone."""
    return timezone.localdate()


def extensions_of(round_: Round, unit_id: int | None = None) -> dict[tuple[int, str], dt.date]:
    """The extensions of a round (of one unit, when given) as {(unit id, phase): day}."""
    rows = Extension.objects.filter(round=round_)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return {
        (unit, phase): until
        for unit, phase, until in rows.values_list("unit_id", "phase", "until_on")
    }


def deadline(round_: Round, unit_id: int, phase: str, extensions: ExtensionMap) -> dt.date:
    """The last day a unit may work in a phase: its extension when later, else the round's date."""
    base = round_.closes_on(phase)
    extended = extensions.get((unit_id, phase))
    return max(base, extended) if extended else base


def days_left(day: dt.date, on: dt.date | None = None) -> int:
    """Days from `on` (today) to a deadline: 0 on the day itself, negative when overdue."""
    return (day - (on or today())).days
