"""Fields that take records by their code (core.pickers): what a line names, in a bounded
number of queries, and how the fields show and compare what they hold."""

from __future__ import annotations

import pytest
from django import forms

from parindex.core import pickers
from parindex.units.models import Unit
from parindex.units.tests.factories import UnitFactory, unit_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    kind = unit_type("SO")
    return {
        code: UnitFactory(code=code, name=name, unit_type=kind)
        for code, name in [
            ("STP", "Sở Tư pháp"),
            ("SNV", "Sở Nội vụ"),
            ("X1", "UBND xã Hòa Bình"),
            ("X2", "UBND xã Hòa Bình"),  # two units of one name: the name names neither
        ]
    }


def field(**kwargs):
    return pickers.CodesField(records=Unit.objects.all(), options_url="/options/", **kwargs)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("STP", ["STP"]),
        ("stp\n  snv  ", ["STP", "SNV"]),  # any case, spaces around
        ("SNV — Sở Nội vụ\nSTP — anything after the dash", ["SNV", "STP"]),  # as the page writes
        ("so tu phap", ["STP"]),  # a name that only one unit has, marks and case aside
        ("STP\nSở Tư pháp\nstp", ["STP"]),  # each unit once, in the order first named
        ("\n\n", []),
        ("", []),
    ],
)
def test_a_line_names_a_unit_by_its_code_or_its_one_name(units, text, codes):
    assert [unit.code for unit in field(required=False).clean(text)] == codes


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("STP\nKHONGCO", "KHONGCO"),
        ("UBND xã Hòa Bình", "UBND xã Hòa Bình"),  # two units have that name
        ("ST", "ST"),  # part of a code is no code
        ("KHONG1\nKHONG2", "KHONG1, KHONG2"),  # every unknown line named together
    ],
)
def test_a_line_that_names_no_unit_is_refused_by_its_text(units, text, named):
    with pytest.raises(forms.ValidationError, match=f"mã {named} ") as refusal:
        field().clean(text)
    assert refusal.value.code == "unknown"


@pytest.mark.parametrize("text", ["STP\x00", "\x00"])
def test_a_null_character_is_refused_before_any_query(units, text, django_assert_num_queries):
    with (
        django_assert_num_queries(0),
        pytest.raises(forms.ValidationError, match="Null characters") as refusal,
    ):
        field().clean(text)
    assert [error.code for error in refusal.value.error_list] == ["null_characters_not_allowed"]
    one = pickers.CodeField(records=Unit.objects.all(), options_url="/options/")
    with (
        django_assert_num_queries(0),
        pytest.raises(forms.ValidationError, match="Null characters") as refusal,
    ):
        one.clean(text)
    assert [error.code for error in refusal.value.error_list] == ["null_characters_not_allowed"]


def test_many_lines_take_two_queries_and_too_many_are_refused(units, django_assert_num_queries):
    text = "\n".join([f"X{n}" for n in range(3, pickers.MAX_LINES)] + ["STP", "so noi vu"])
    with django_assert_num_queries(2), pytest.raises(forms.ValidationError, match="X3, X4"):
        field().clean(text)
    too_many = "\n".join(["STP"] * (pickers.MAX_LINES + 1))
    with django_assert_num_queries(0), pytest.raises(forms.ValidationError, match="Tối đa 500"):
        field().clean(too_many)


def test_the_field_shows_its_units_as_lines_and_compares_by_unit(units):
    lines = field().prepare_value([units["STP"].pk, units["SNV"]])
    assert lines == "STP — Sở Tư pháp\nSNV — Sở Nội vụ"
    assert field().clean(lines) == [units["STP"], units["SNV"]]
    assert not field().has_changed([units["SNV"].pk, units["STP"].pk], "snv\nSTP")
    assert field().has_changed([units["STP"].pk], "STP\nSNV")
    assert field().has_changed([units["STP"].pk], "KHONGCO")
    # a disabled field cleans what it was given: the ids of the roles held
    assert field(disabled=True).clean([units["X1"].pk]) == [units["X1"]]


def test_the_box_beside_the_lines_is_taken_without_scripts(units):
    class Form(forms.Form):
        units = field(required=False)

    form = Form({"units": "STP", "units-add": " snv "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == [units["STP"], units["SNV"]]
    assert Form({"units-add": "STP"}).is_valid()  # only the box: the lines were never sent
    page = str(Form()["units"])
    assert 'list="id_units-add-options"' in page and '<datalist id="id_units-add-options">' in page
    assert "required" not in page  # the lines may stay empty while the box holds the code


def test_one_picker_takes_one_unit_and_shows_it_by_its_code(units):
    one = pickers.CodeField(records=Unit.objects.all(), options_url="/options/", required=False)
    assert one.clean(" stp ") == units["STP"]
    assert one.clean("") is None
    assert one.prepare_value(units["SNV"]) == "SNV"
    with pytest.raises(forms.ValidationError, match="UBND xã Hòa Bình"):
        one.clean("UBND xã Hòa Bình")
