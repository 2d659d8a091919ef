"""The one reading of numbers typed by people: strict, bounded, exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.engine import TypedNumberError, parse_typed

D = Decimal
FEW = settings(max_examples=50, deadline=None, database=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,5", D("0.5")),
        ("0.5", D("0.5")),
        ("  2  ", D("2")),
        ("0,50", D("0.50")),
        (",5", D("0.5")),
        ("100", D("100")),
        ("007", D("7")),
        ("0", D("0")),
        ("-0", D("0")),
        ("99,99", D("99.99")),
    ],
    ids=[
        "comma",
        "point",
        "spaces-around",
        "decimals-kept",
        "no-leading-zero",
        "at-the-limit",
        "leading-zeros",
        "zero",
        "minus-zero",
        "two-decimals",
    ],
)
def test_accepted_numbers(text, expected):
    value = parse_typed(text, limit=100, decimals=2)
    assert value == expected and str(value) == str(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "not_a_number"),
        ("   ", "not_a_number"),
        ("abc", "not_a_number"),
        ("1e-30", "not_a_number"),
        ("1e308", "not_a_number"),
        ("1E5", "not_a_number"),
        ("0_5", "not_a_number"),
        ("1 000", "not_a_number"),
        ("1.000,5", "not_a_number"),
        ("0,5,1", "not_a_number"),
        ("+1", "not_a_number"),
        ("5.", "not_a_number"),
        (".", "not_a_number"),
        ("-", "not_a_number"),
        ("--1", "not_a_number"),
        ("inf", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("NaN", "not_a_number"),
        ("sNaN", "not_a_number"),
        ("١٢", "not_a_number"),
        ("１２", "not_a_number"),
        ("0x10", "not_a_number"),
        ("1" * 65, "not_a_number"),
        ("-1", "negative"),
        ("-0,5", "negative"),
        ("100,01", "too_large"),
        ("99999999999999999999", "too_large"),
        ("0,001", "too_many_decimals"),
        ("0,000", "too_many_decimals"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "long",
)
def test_refused_numbers(text, code):
    with pytest.raises(TypedNumberError, check=lambda exception: exception.code == code) as refused:
        parse_typed(text, limit=100, decimals=2)
    assert refused.value.text == text


def test_negative_numbers_only_where_the_caller_allows_them():
    assert parse_typed("-2,5", limit=10, decimals=1, negative=True) == D("-2.5")
    with pytest.raises(TypedNumberError, check=lambda exception: exception.code == "too_large"):
        parse_typed("-11", limit=10, decimals=1, negative=True)


def test_whole_numbers_refuse_any_decimal():
    assert parse_typed("12", limit=1000, decimals=0) == 12
    with pytest.raises(
        TypedNumberError, check=lambda exception: exception.code == "too_many_decimals"
    ):
        parse_typed("1.000", limit=1000, decimals=0)


def test_the_error_carries_the_callers_bounds():
    with pytest.raises(
        TypedNumberError, check=lambda exception: exception.code == "too_large"
    ) as refused:
        parse_typed("7", limit=5, decimals=1)
    assert (refused.value.limit, refused.value.decimals) == (D(5), 1)


decimals = st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=3, allow_nan=False)


@FEW
@given(decimals, st.sampled_from([".", ","]))
def test_a_valid_number_reads_back_exactly(value, separator):
    text = format(value, "f").replace(".", separator)
    parsed = parse_typed(text, limit=D("1000000"), decimals=3, negative=True)
    assert parsed == value


@FEW
@given(decimals.filter(lambda v: v != 0), st.sampled_from(["e", "E"]), st.integers(-30, 30))
def test_exponent_forms_are_never_numbers(value, letter, exponent):
    text = f"{value}{letter}{exponent}"
    with pytest.raises(TypedNumberError, check=lambda exception: exception.code == "not_a_number"):
        parse_typed(text, limit=D("1e400"), decimals=400, negative=True)


@FEW
@given(st.from_regex(r"[0-9]+_[0-9_]*[0-9]", fullmatch=True))
def test_underscore_forms_are_never_numbers(text):
    with pytest.raises(TypedNumberError, check=lambda exception: exception.code == "not_a_number"):
        parse_typed(text, limit=D("1e100"), decimals=10)


@FEW
@given(st.text(max_size=20))
def test_any_text_gives_a_bounded_decimal_or_a_coded_refusal(text):
    try:
        value = parse_typed(text, limit=1000, decimals=2, negative=True)
    except TypedNumberError as refused:
        assert refused.code in ("not_a_number", "negative", "too_large", "too_many_decimals")
    else:
        assert value.is_finite() and abs(value) <= 1000 and -value.as_tuple().exponent <= 2
