"""Numbers typed by people: read by the engine's one strict parser, refused in Vietnamese.

Every field, grid cell and file cell where a person writes a number goes through `typed_number`
(or the form field `TypedDecimalField`): 0,5 and 0.5 are read, exponents, underscores, inner
spaces and anything beyond the caller's magnitude and decimals are refused with a message that
quotes what was typed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from parindex.core.formatting import format_points
from parindex.engine import TypedNumberError, parse_typed


class NumberInvalid(ValueError):
    """A typed number was refused; `code` is the engine's, the message is for people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def number_message(error: TypedNumberError) -> str:
    """Why a typed number was refused, quoting what was typed."""
    text = error.text.strip()
    if error.code == "negative":
        return _("“%(text)s” is negative: type a number of 0 or more.") % {"text": text}
    if error.code == "too_large":
        return _("“%(text)s” is too large: at most %(limit)s.") % {
            "text": text,
            "limit": format_points(error.limit),
        }
    if error.code == "too_many_decimals":
        if error.decimals == 0:
            return _("“%(text)s” is not a whole number.") % {"text": text}
        return _("“%(text)s” has more than %(n)s decimal place(s).") % {
            "text": text,
            "n": error.decimals,
        }
    return _(
        "“%(text)s” is not a number: type digits with at most one decimal comma, e.g. 0,5."
    ) % {"text": text}


def typed_number(
    text: str, *, limit: Decimal | int, decimals: int, negative: bool = False
) -> Decimal:
    """The number a person typed, within ±`limit` and `decimals`; NumberInvalid otherwise."""
    try:
        return parse_typed(text, limit=limit, decimals=decimals, negative=negative)
    except TypedNumberError as error:
        raise NumberInvalid(number_message(error), error.code) from None


class TypedDecimalField(forms.CharField):
    """A form field for a number a person types (0,5 or 0.5), read by `typed_number`."""

    def __init__(
        self,
        *,
        limit: Decimal | int,
        decimals: int = 2,
        negative: bool = False,
        min_value: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        self.limit, self.decimals, self.negative = Decimal(limit), decimals, negative
        self.min_value = None if min_value is None else Decimal(min_value)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | Decimal):
            return format_points(value).replace(".", "")
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            number = typed_number(
                text, limit=self.limit, decimals=self.decimals, negative=self.negative
            )
        except NumberInvalid as invalid:
            raise forms.ValidationError(str(invalid), code=invalid.code) from None
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                _("“%(text)s” is below the minimum of %(minimum)s.")
                % {"text": text, "minimum": format_points(self.min_value)},
                code="too_small",
            )
        return number
