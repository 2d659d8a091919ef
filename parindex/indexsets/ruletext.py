"""Rules written the way officials write them, for the XLSX form, the editor and the tree page.

Options read "Đúng hạn=1; Chậm=0,5; Không ban hành=0" and tiers "100%=1; 80%=0,5"; numbers take
a decimal comma or point. Reading only turns the text into the YAML rule shape: whether the
rule makes sense (tiers descending, options within the maximum…) is the engine's to check.
A label holding ';' or '=' is written in double quotes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.formatting import format_points
from parindex.core.numbers import NumberInvalid, typed_number

NUMBER_LIMIT = 100_000  # points and percentages of a rule (a maximum has at most 5 digits)
RULE_LABELS = {
    "range": gettext_lazy("Points entered (range)"),
    "choice": gettext_lazy("Choice of options"),
    "percent_tiers": gettext_lazy("Tiers on a rate"),
    "proportional": gettext_lazy("Proportional to a rate"),
    "deduction": gettext_lazy("Deduction per item"),
}


class RuleTextError(ValueError):
    """Rule text that cannot be read; the message says why, in Vietnamese."""


def parse_number(text: Any) -> Decimal:
    """A number typed by a person: 0,5 or 0.5 or 1 (a spreadsheet number is taken as it is)."""
    if isinstance(text, bool):
        raise RuleTextError(_("'%(value)s' is not a number.") % {"value": text})
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    try:
        return typed_number(str(text), limit=NUMBER_LIMIT, decimals=2)
    except NumberInvalid as invalid:
        raise RuleTextError(str(invalid)) from None


def spec_number(value: Decimal) -> int | float:
    """A number as the YAML spec holds it: an int when whole, else a short float (0.5)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _split_items(text: str) -> list[str]:
    """Split "a=1; "b; c"=2" on semicolons outside double quotes."""
    items, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char == ";" and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _pair(item: str) -> tuple[str, str]:
    """Split 'label=points' on the last '=' outside quotes."""
    if item.startswith('"'):
        end = item.find('"', 1)
        if end > 0 and item[end + 1 :].lstrip().startswith("="):
            return item[1:end], item[end + 1 :].lstrip()[1:].strip()
    label, sign, value = item.rpartition("=")
    if not sign:
        raise RuleTextError(
            _("'%(item)s' must be written as label=points, e.g. Đúng hạn=1.") % {"item": item}
        )
    return label.strip(), value.strip()


def parse_options(text: str) -> list[dict[str, Any]]:
    """'Đúng hạn=1; Chậm=0,5' → [{label: Đúng hạn, points: 1}, {label: Chậm, points: 0.5}]."""
    options = []
    for item in _split_items(text):
        label, value = _pair(item)
        options.append({"label": label, "points": spec_number(parse_number(value))})
    return options


def parse_tiers(text: str) -> list[dict[str, Any]]:
    """'100%=1; 80%=0,5' → [{min_percent: 100, points: 1}, {min_percent: 80, points: 0.5}]."""
    tiers = []
    for item in _split_items(text):
        percent, value = _pair(item)
        percent = percent.rstrip().removesuffix("%")
        tiers.append(
            {
                "min_percent": spec_number(parse_number(percent)),
                "points": spec_number(parse_number(value)),
            }
        )
    return tiers


def _label(label: str) -> str:
    return f'"{label}"' if any(char in label for char in ';="') else label


def format_options(options: list[dict[str, Any]]) -> str:
    """[{label: Đúng hạn, points: 1}, …] → 'Đúng hạn=1; Chậm=0,5'."""
    return "; ".join(f"{_label(o['label'])}={format_points(o['points'])}" for o in options)


def format_tiers(tiers: list[dict[str, Any]]) -> str:
    """[{min_percent: 100, points: 1}, …] → '100%=1; 80%=0,5'."""
    return "; ".join(
        f"{format_points(t['min_percent'])}%={format_points(t['points'])}" for t in tiers
    )


def describe_rule(rule: dict[str, Any] | None) -> str:
    """A leaf's rule in one readable line for the tree page (None: the default range rule)."""
    rule = rule or {"type": "range", "step": 0.01}
    kind = rule.get("type")
    if kind == "choice":
        return format_options(rule.get("options", []))
    if kind == "percent_tiers":
        return format_tiers(rule.get("tiers", []))
    if kind == "deduction":
        return _("−%(points)s per item") % {"points": format_points(rule.get("per_item"))}
    if kind == "proportional":
        return _("max × rate")
    return _("step %(step)s") % {"step": format_points(rule.get("step", 0.01))}
