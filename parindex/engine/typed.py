"""Numbers typed by people: one strict, bounded reading of the text in a field or a file cell.

A typed number is digits with at most one decimal separator, a comma (0,5, the Vietnamese way)
or a point (0.5), and a leading minus only where the caller allows negatives. Nothing else is a
number here: no exponent (1e-30), no underscore (0_5), no inner space, no sign other than a
leading minus, no thousands separator, no digit outside 0-9, no infinity or NaN. The caller
chooses the largest magnitude and the number of decimals it accepts, so what comes back is
always small enough to store and to format. `TypedNumberError.code` says what was wrong, for
the web app to translate: `not_a_number`, `negative`, `too_large`, `too_many_decimals`.
"""

from __future__ import annotations

import re
from decimal import Decimal

_NUMBER = re.compile(r"(-?)([0-9]*)(?:[.,]([0-9]+))?", re.ASCII)
_MAX_TEXT = 64  # a longer text is no number a person types (and is never parsed)

ERRORS = ("not_a_number", "negative", "too_large", "too_many_decimals")


class TypedNumberError(ValueError):
    """The text is not a number the caller accepts; `code` is one of `ERRORS`."""

    def __init__(self, code: str, text: str, *, limit: Decimal, decimals: int) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text
        self.limit = limit
        self.decimals = decimals


def parse_typed(
    text: str, *, limit: Decimal | int, decimals: int, negative: bool = False
) -> Decimal:
    """The exact value of a typed number within ±`limit` with at most `decimals` decimals.

    Spaces around the number are ignored; the Decimal keeps the decimals as typed (0,50 gives
    Decimal("0.50")). Raises TypedNumberError, whose `code` says why the text was refused.
    """
    limit = Decimal(limit)
    stripped = text.strip()

    def refuse(code: str) -> TypedNumberError:
        return TypedNumberError(code, text, limit=limit, decimals=decimals)

    match = _NUMBER.fullmatch(stripped) if len(stripped) <= _MAX_TEXT else None
    if match is None or not (match[2] or match[3]):
        raise refuse("not_a_number")
    sign, whole, fraction = match[1], match[2] or "0", match[3] or ""
    value = Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    if sign and not negative and value != 0:
        raise refuse("negative")
    if abs(value) > limit:
        raise refuse("too_large")
    if len(fraction) > decimals:
        raise refuse("too_many_decimals")
    return abs(value) if value == 0 else value
