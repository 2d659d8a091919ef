from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from parindex.core.formatting import format_date, format_datetime, format_number, format_points


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("85.95"), 2, "85,95"),
        (D("85.945"), 2, "85,95"),
        (D("85.944"), 2, "85,94"),
        (1234.5, 2, "1.234,50"),
        (1234567, 0, "1.234.567"),
        (D("-3.5"), 1, "-3,5"),
        (0, 2, "0,00"),
        (None, 2, "—"),
        ("", 2, "—"),
    ],
    ids=[
        "index",
        "half-up",
        "round-down",
        "thousands",
        "millions",
        "negative",
        "zero",
        "none",
        "empty",
    ],
)
def test_format_number(value, places, expected):
    assert format_number(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("1"), "1"), (D("0.5"), "0,5"), (D("0.25"), "0,25"), (D("20.00"), "20"), (None, "—")],
    ids=["whole", "half", "quarter", "trailing-zeros", "none"],
)
def test_format_points(value, expected):
    assert format_points(value) == expected


def test_huge_and_non_finite_numbers_are_formatted_without_invalid_operation():
    # An autosave of 1e308 once reached format_points and ended in a 500 (issue 10, finding 8).
    assert format_points(D("1E+308")) == "100" + ".000" * 102
    assert format_number(D("1E+30"), 2) == "1" + ".000" * 10 + ",00"
    assert format_number(D("Infinity")) == format_points(D("NaN")) == "—"


def test_format_date_is_day_month_year():
    assert format_date(dt.date(2026, 11, 29)) == "29/11/2026"
    assert format_date(dt.date(2026, 1, 5)) == "05/01/2026"
    assert format_date(None) == "—"


def test_format_datetime_uses_the_local_time_zone(settings):
    moment = dt.datetime(2026, 11, 28, 20, 30, tzinfo=dt.UTC)  # 03:30 next day in Hà Nội
    assert format_datetime(moment) == "29/11/2026 03:30"


def test_templates_format_the_vietnamese_way():
    from django.template import Context, Template

    rendered = Template("{{ x|num }} {{ d|vdate }} {{ p|pts }}").render(
        Context({"x": D("85.95"), "d": dt.date(2026, 11, 29), "p": D("0.50")})
    )
    assert rendered == "85,95 29/11/2026 0,5"
