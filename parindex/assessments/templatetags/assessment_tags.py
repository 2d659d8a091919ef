"""Template filters of the assessment pages (formatting only)."""

from __future__ import annotations

from typing import Any

from django import template

from parindex.assessments import answers

register = template.Library()


@register.filter
def answer(value: Any) -> str:
    """{{ item.self_answer|answer }} -> 'Đúng hạn', '9/10', '87,5%', 'Không áp dụng'."""
    return answers.describe(value)


@register.filter
def filesize(value: Any) -> str:
    """{{ evidence.size_bytes|filesize }} -> '1,2 MB' or '350 KB'."""
    from parindex.core.formatting import format_number

    size = int(value or 0)
    if size >= 1048576:
        return f"{format_number(size / 1048576, 1)} MB"
    return f"{format_number(max(size, 1) / 1024, 0)} KB"
