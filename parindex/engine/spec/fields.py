"""Reading single fields of a spec (numbers, codes, texts, choices), noting each problem."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from parindex.engine.decimals import hundredths
from parindex.engine.errors import Problem

MAX_CODE_LENGTH = 32
E = TypeVar("E", bound=StrEnum)


def join(path: str, segment: object) -> str:
    """The path of `segment` inside `path` (`criteria/1` + `1.1` → `criteria/1/1.1`)."""
    return f"{path}/{segment}" if path else str(segment)


class FieldReader:
    """Reads fields and keeps every problem met, so that all of them can be reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, problem_code: str, /, **params: Any) -> None:
        """Note a problem at `path`."""
        self.problems.append(Problem(path, problem_code, params))

    def is_mapping(self, value: Any, path: str) -> bool:
        """Whether `value` is a mapping; notes `not_a_mapping` if not."""
        if isinstance(value, Mapping):
            return True
        self.problem(path, "not_a_mapping")
        return False

    def is_list(self, value: Any, path: str, key: str = "") -> bool:
        """Whether `value` is a list; notes `not_a_list` if not."""
        if isinstance(value, list | tuple):
            return True
        self.problem(join(path, key) if key else path, "not_a_list")
        return False

    def check_keys(
        self,
        raw: Mapping[str, Any],
        path: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
    ) -> None:
        """Note every key not in `allowed` and every `required` key that is missing or empty."""
        for key in raw:
            if key not in allowed:
                self.problem(join(path, key), "unknown_key", key=key)
        for key in required:
            if raw.get(key) is None:
                self.problem(path, "missing_field", field=key)

    def text(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        """An optional text field ('' when absent); notes text that is not text or is blank."""
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(join(path, key), "not_text", field=key)
            return ""
        if not value.strip():
            self.problem(join(path, key), "empty_text", field=key)
        return value

    def code(self, raw: Mapping[str, Any], path: str, key: str = "code") -> str | None:
        """A code (of a criterion, band, set or unit type): short text with no space or '/'."""
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # `code: 1` is unambiguous; `code: 1.10` is not (a float)
        elif not isinstance(value, str):
            self.problem(join(path, key), "code_not_text", value=value)
            return None
        if not value or len(value) > MAX_CODE_LENGTH or any(c.isspace() or c == "/" for c in value):
            self.problem(join(path, key), "invalid_code", code=value)
            return None
        return value

    def enum(self, raw: Mapping[str, Any], key: str, path: str, enum: type[E], default: E) -> E:
        """One of an enum's values, or `default` when absent; notes any other value."""
        value = raw.get(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.problem(join(path, key), "invalid_value", field=key, value=value, allowed=allowed)
            return default

    def year(self, raw: Mapping[str, Any]) -> int | None:
        """The set's valid_from year, a whole number from 1900 to 2200."""
        value = raw.get("valid_from")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            self.problem("valid_from", "not_a_year", value=value)
            return None
        return value

    def number(self, raw: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """A number given as int, float, str or Decimal, read through its text, ≤ 2 decimals."""
        value = raw.get(key)
        if value is None:
            return None
        where = join(path, key)
        number: Decimal | None = None
        if isinstance(value, int | float | str | Decimal) and not isinstance(value, bool):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.problem(where, "not_a_number", field=key, value=value)
            return None
        if hundredths(number) is None:
            self.problem(where, "too_many_decimals", field=key, value=value)
            return None
        return number

    def percent(self, raw: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """A number from 0 to 100 (a percentage threshold)."""
        value = self.number(raw, key, path)
        if value is not None and not 0 <= value <= 100:
            self.problem(join(path, key), "percent_out_of_range", field=key, value=value)
            return None
        return value
