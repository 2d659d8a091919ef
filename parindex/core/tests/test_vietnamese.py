"""Vietnamese alphabetical order and accent-free matching (no database)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core import vietnamese
from parindex.core.vietnamese import (
    fold,
    matcher,
    query_words,
    sort_key,
    sort_text,
    sorted_vi,
)

PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bến Tre",
    "Cà Mau",
    "Cao Bằng",  # a before â: "Cao" before "Cần"
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Điện Biên",
    "Gia Lai",
    "Hà Nội",
    "Hải Phòng",
    "Yên Bái",
]


def test_provinces_sort_in_vietnamese_alphabetical_order():
    shuffled = PROVINCES[:]
    random.Random(4).shuffle(shuffled)
    assert sorted_vi(shuffled) == PROVINCES


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Dương", "Đà Nẵng"),  # Đ is a letter of its own, after D
        ("Ay", "Ăn"),  # Ă after A whatever follows
        ("Ăn", "Ân"),  # Â after Ă
        ("Cà Mau", "Cao"),  # tones weigh only after the letters: "ca m" < "cao"
        ("ma", "mà"),  # no tone before huyền
        ("mà", "mả"),  # huyền, hỏi, ngã, sắc, nặng
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("Ô Môn", "Ơ"),  # Ô before Ơ
        ("Tuy", "Tư"),  # U before Ư
        ("Thanh Hóa", "Trà Vinh"),
        ("Sở 2", "Sở A"),  # digits before letters
    ],
    ids=lambda value: value,
)
def test_sort_key_orders_pairs(first, second):
    assert sort_key(first) < sort_key(second)


def test_database_order_would_be_wrong():
    """What the key is for: by code point Đắk Lắk comes after Yên Bái."""
    assert sorted(["Yên Bái", "Đắk Lắk", "Cà Mau"]) == ["Cà Mau", "Yên Bái", "Đắk Lắk"]
    assert sorted_vi(["Yên Bái", "Đắk Lắk", "Cà Mau"]) == ["Cà Mau", "Đắk Lắk", "Yên Bái"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Sở Tư pháp", "so tu phap"), ("ĐẮK LẮK", "dak lak"), ("  Hà   Nội ", "ha noi")],
)
def test_fold_drops_every_mark(text, folded):
    assert fold(text) == folded


def test_matches_needs_every_word_in_some_text():
    assert matcher("so tu phap")("STP", "Sở Tư pháp")
    assert matcher("stp")("STP", "Sở Tư pháp")
    assert not matcher("so tai chinh")("STP", "Sở Tư pháp")
    assert not matcher("   ")("STP")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="aăâbdđeêoôơuưyàảãáạ AĐ", max_size=6), max_size=8))
def test_sort_key_is_a_total_order_that_sorting_twice_keeps(texts):
    once = sorted_vi(texts)
    assert sorted_vi(once) == once
    assert sorted(once, key=sort_key) == once


def test_a_query_looks_for_its_first_ten_words_only():
    forged = "Sở TƯ " + "pháp " * 20_000
    assert query_words(forged) == ["so", "tu"] + ["phap"] * 8
    assert matcher(forged)("Sở Tư pháp")
    assert not matcher("sở y tế " + "pháp " * 20_000)("Sở Tư pháp")


@settings(max_examples=300)
@given(st.text(), st.text())
def test_sort_text_orders_as_sort_key_and_is_valid_text(first, second):
    """Any text, letters of every alphabet included: the key a database sorts by is valid
    UTF-8 (no surrogate from a rank in their range) and orders as `sort_key`."""
    one, two = sort_text(first), sort_text(second)
    one.encode("utf-8"), two.encode("utf-8")
    assert (one < two) == (sort_key(first) < sort_key(second))


def test_a_mark_that_makes_no_letter_sorts_as_the_bare_letter():
    """A breve, circumflex or horn on a letter that takes none in Vietnamese ("x̆", a breve on
    "ư") made a two-character "letter", and `sort_key` failed on it."""
    assert sort_key("x\u0306a")[0] == sort_key("xa")[0]
    assert sorted_vi(["x\u0306b", "xa", "u\u0306\u031b"]) == ["u\u0306\u031b", "xa", "x\u0306b"]


def test_sort_text_of_letters_near_the_surrogates_is_valid_text():
    assert sort_text("\ud7b0\ud7fb ab").encode("utf-8")


def test_a_matcher_folds_the_query_once_for_the_whole_list(monkeypatch):
    folded = []
    fold = vietnamese.fold
    monkeypatch.setattr(vietnamese, "fold", lambda text: folded.append(text) or fold(text))
    wanted = vietnamese.matcher("SO TU phap")
    assert [wanted("STP", "Sở Tư pháp"), wanted("SYT", "Sở Y tế")] == [True, False]
    assert folded.count("SO TU phap") == 1
