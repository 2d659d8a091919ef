"""Exact arithmetic on points and percentages: whole hundredths inside, Decimal outside.

Points are always whole hundredths of a point. Inside the engine they are Python ints
(hundredths) and every quotient is kept as an exact fraction of ints until it is rounded by
`half_up`, the engine's only rounding. No result depends on the caller's decimal context.
"""

from __future__ import annotations

from decimal import Clamped, Context, Decimal, InvalidOperation

# Only used to shift the exponent of exact values (scaleb), never to round.
_EXACT = Context(prec=60, traps=[InvalidOperation, Clamped])


def half_up(numerator: int, denominator: int) -> int:
    """The fraction numerator / denominator rounded half-up (half away from zero) to a whole."""
    if numerator < 0:
        return -half_up(-numerator, denominator)
    return (2 * numerator + denominator) // (2 * denominator)


def round_percent(value: Decimal) -> Decimal:
    """Round a percentage half-up to 2 decimals (85.945 → 85.95): the one rounding of a result."""
    numerator, denominator = value.as_integer_ratio()
    return points(half_up(numerator * 100, denominator))


def percent_of(points_h: int, max_h: int) -> Decimal:
    """Published percentage of `points_h` out of `max_h` (hundredths), rounded once, half-up."""
    # points / max × 100, to hundredths of a percent: points_h × 100 × 100 / max_h
    return points(half_up(points_h * 10_000, max_h))


def points(hundredths: int) -> Decimal:
    """A number of hundredths as a Decimal with 2 decimals (1250 → 12.50)."""
    return Decimal(hundredths).scaleb(-2, _EXACT)


def hundredths(value: Decimal) -> int | None:
    """Whole hundredths in `value` (12.5 → 1250); None if it has finer digits or is not finite."""
    try:
        numerator, denominator = value.as_integer_ratio()
    except (ValueError, OverflowError):
        return None
    whole, rest = divmod(numerator * 100, denominator)
    return None if rest else whole


def spec_hundredths(value: Decimal) -> int:
    """Whole hundredths in a number the spec reader has validated (at most 2 decimals)."""
    whole = hundredths(value)
    if whole is None:
        raise ValueError(f"{value} is not a whole number of hundredths")
    return whole
