"""Template filters that format numbers and dates the Vietnamese way, and the permission tag."""

from __future__ import annotations

from typing import Any

from django import template

from parindex.core import formatting, registry

register = template.Library()


@register.filter
def num(value: Any, places: int = 2) -> str:
    """{{ value|num }} -> 85,95; {{ value|num:0 }} -> 1.234."""
    return formatting.format_number(value, int(places))


@register.filter
def pts(value: Any) -> str:
    """{{ value|pts }} -> 0,5 (points without trailing zeros)."""
    return formatting.format_points(value)


@register.filter
def vdate(value: Any) -> str:
    """{{ value|vdate }} -> 29/11/2026."""
    return formatting.format_date(value)


@register.filter
def vdatetime(value: Any) -> str:
    """{{ value|vdatetime }} -> 29/11/2026 14:05."""
    return formatting.format_datetime(value)


@register.simple_tag(takes_context=True)
def can(context: template.Context, perm: str, obj: Any = None) -> bool:
    """{% can "manage_users" as ok %}: ask the permission predicates about the current user."""
    return registry.access().has(context["request"].user, perm, obj)
