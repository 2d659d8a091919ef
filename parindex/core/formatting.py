"""Vietnamese formatting: numbers as 1.234,95 and dates as 29/11/2026.

The number formatters live in `parindex.documents.formatting` (the bottom layer, which the
document builders use); they are re-exported here with the dates.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from parindex.documents.formatting import EM_DASH, format_number, format_points

__all__ = ["EM_DASH", "format_date", "format_datetime", "format_number", "format_points"]


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
