"""Vietnamese number formatting: 1.234,95 and points without useless zeros (0,5).

Kept at the bottom of the layers, beside the builders that print numbers into documents;
`parindex.core.formatting` re-exports these with the dates for templates and every app.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

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
