"""Vietnamese text in queries: folded for searches as `vietnamese.fold` folds it, and sorted as
`vietnamese.sort_key` sorts it, on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection
from django.db.models import Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core import vietnamese_sql
from parindex.core.tests.test_vietnamese import PROVINCES
from parindex.core.vietnamese import fold, sort_key
from parindex.core.vietnamese_sql import Folded, vietnamese_order, words_in
from parindex.units.models import Unit, UnitType

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
# every letter of the Vietnamese alphabet with every tone, lower and upper case
LETTERS = sorted(
    {
        unicodedata.normalize("NFC", letter + tone)
        for vowel in VOWELS
        for tone in TONES
        for letter in (vowel, vowel.upper())
    }
    | set("đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVX")
)


def folded_by_database(text: str) -> str:
    value = Unit.objects.annotate(folded=Folded(Value(text))).values_list("folded", flat=True)
    return value[:1].get()


def test_every_vietnamese_letter_is_folded_by_the_database_as_in_python(home_unit):
    text = "".join(LETTERS)
    assert folded_by_database(text) == fold(text)
    assert set(fold(text)) <= set("abcdeghiklmnopqrstuvxy")


def test_a_name_pasted_in_decomposed_form_is_folded_as_the_composed_one(home_unit):
    decomposed = unicodedata.normalize("NFD", "Đắk Lắk Ủy BAN")
    assert decomposed != "Đắk Lắk Ủy BAN"
    assert folded_by_database(decomposed) == "dak lak uy ban"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=st.sampled_from([*LETTERS, " ", "-", "1", "9", "(", "%", "_"]), max_size=40)
)
def test_any_vietnamese_text_is_folded_by_the_database_as_in_python(home_unit, text):
    assert " ".join(folded_by_database(text).split()) == fold(text)


@pytest.fixture
def named_units(db):
    kind = UnitType.objects.create(code="SO-F", name="Sở")
    names = {
        "STP": "Sở Tư pháp",
        "SYT": "SỞ Y TẾ",
        "DML": "UBND xã Đắk Mil",
        "DMI": "UBND xã Đăk Mil",
        "P50": "Phường 50%",
    }
    for code, name in names.items():
        Unit.objects.create(code=code, name=name, unit_type=kind)
    return kind


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("so tu phap", {"STP"}),
        ("SỞ TƯ PHÁP", {"STP"}),
        ("tư", {"STP"}),
        ("sở y tế", {"SYT"}),
        ("y te", {"SYT"}),
        ("đắk mil", {"DML", "DMI"}),  # ắ and ă both fold to a
        ("DAK", {"DML", "DMI"}),
        ("mil xã", {"DML", "DMI"}),  # every word, in any order
        ("stp", {"STP"}),  # the code, any case
        ("sở", {"STP", "SYT"}),
        ("50%", {"P50"}),  # % is a character, not a wildcard
        ("%", {"P50"}),
        ("_", set()),
        ("sở pháp y", set()),  # every word must be found
        ("   ", {"STP", "SYT", "DML", "DMI", "P50"}),
    ],
)
def test_words_in_ignores_case_and_marks_and_needs_every_word(named_units, typed, found):
    units = Unit.objects.filter(unit_type=named_units)
    assert (
        set(units.filter(words_in(typed, "code", "name")).values_list("code", flat=True)) == found
    )


def test_words_in_reaches_through_a_relation(named_units):
    kinds = UnitType.objects.filter(words_in("đăk", "units__name")).distinct()
    assert list(kinds) == [named_units]


@pytest.fixture
def provinces(db):
    kind = UnitType.objects.create(code="TINH-O", name="Tỉnh")
    shuffled = sorted(PROVINCES, key=lambda name: fold(name)[::-1])
    Unit.objects.bulk_create(
        Unit(code=f"P{n:02}", name=name, unit_type=kind) for n, name in enumerate(shuffled)
    )
    return Unit.objects.filter(unit_type=kind)


def test_the_database_sorts_provinces_in_vietnamese_alphabetical_order(provinces):
    names = list(provinces.order_by(vietnamese_order("name")).values_list("name", flat=True))
    assert names == PROVINCES  # "Đà Nẵng" after "Cần Thơ", not after "Yên Bái"
    reverse = provinces.order_by(vietnamese_order("-name")).values_list("name", flat=True)
    assert list(reverse) == PROVINCES[::-1]


NAME_CHARACTERS = st.sampled_from([*LETTERS, *"fjwzFJWZ", " ", "1", "9"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(alphabet=NAME_CHARACTERS, min_size=1, max_size=12), max_size=12))
def test_any_names_are_sorted_by_the_database_as_in_python(db, names):
    kind, _ = UnitType.objects.get_or_create(code="SORT-H", name="Sắp xếp")
    Unit.objects.filter(unit_type=kind).delete()
    Unit.objects.bulk_create(
        Unit(code=f"H{n:02}", name=name, unit_type=kind) for n, name in enumerate(names)
    )
    found = Unit.objects.filter(unit_type=kind).order_by(vietnamese_order("name"))
    # letters and tones as `sort_key` orders them (texts equal but for case may tie either way)
    keys = [sort_key(name)[:2] for name in found.values_list("name", flat=True)]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("setting", "value", "code"),
    [
        ("POSTGRESQL_COLLATION", "xx-none-x-icu", "parindex.E001"),
        ("POSTGRESQL_ENCODING", "LATIN1", "parindex.E002"),
    ],
)
def test_the_database_check_names_what_postgresql_lacks(db, monkeypatch, setting, value, code):
    assert vietnamese_sql.check_postgresql_text(app_configs=None, databases=["default"]) == []
    monkeypatch.setattr(vietnamese_sql, setting, value)
    errors = vietnamese_sql.check_postgresql_text(app_configs=None, databases=["default"])
    expected = [code] if connection.vendor == "postgresql" else []
    assert [error.id for error in errors] == expected
