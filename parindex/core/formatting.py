"""Vietnamese formatting: numbers as 1.234,95 and dates as 29/11/2026."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils import timezone

EM_DASH = "—"


def format_number(value: Decimal | int | float | str | None, places: int = 2) -> str:
    """Format a number the Vietnamese way with a fixed number of decimals: 1234.5 -> 1.234,50."""
    if value is None or value == "":
        return EM_DASH
    number = Decimal(str(value))
    if not number.is_finite():
        return EM_DASH
    rounded = _rounded(number, places)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{rounded.copy_abs():f}".partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if places > 0 else f"{sign}{text}"


def _rounded(number: Decimal, places: int) -> Decimal:
    """Half-up to `places` decimals, however large the number (no InvalidOperation at 1e308)."""
    precision = Context(prec=max(28, number.adjusted() + places + 2))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=precision)


def format_points(value: Decimal | int | float | str | None) -> str:
    """Format points without useless zeros: 1 -> 1, 0.5 -> 0,5, 0.25 -> 0,25."""
    if value is None or value == "":
        return EM_DASH
    number = Decimal(str(value))
    if not number.is_finite():
        return EM_DASH
    number = _rounded(number, 2)
    places = 0 if number == number.to_integral() else (1 if (number * 10) % 1 == 0 else 2)
    return format_number(number, places)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """Format a date as dd/mm/yyyy (a datetime is shown in the local time zone)."""
    if value is None:
        return EM_DASH
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """Format a moment as dd/mm/yyyy HH:MM in the local time zone."""
    if value is None:
        return EM_DASH
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)} {local.hour:02d}:{local.minute:02d}"
