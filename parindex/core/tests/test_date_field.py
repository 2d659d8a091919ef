"""Dates are typed and shown day first (29/11/2026) whatever the browser's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.test import override_settings
from django.utils import translation

from parindex.core.forms import date_field


class When(forms.Form):
    on = date_field("On")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/01/2027", dt.date(2027, 1, 5)),  # 5 January, never 1 May
        ("5/1/2027", dt.date(2027, 1, 5)),
        ("29/11/2026", dt.date(2026, 11, 29)),
        ("2026-11-29", dt.date(2026, 11, 29)),  # as links and scripts write it
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_read_day_first_in_either_language(typed, day, language):
    with translation.override(language):
        form = When({"on": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == day


@pytest.mark.parametrize("typed", ["11/29/2026", "29-11-2026", "Nov 29 2026", "31/02/2027"])
def test_other_orders_are_refused(typed):
    form = When({"on": typed})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["on"]] == ["invalid"]


@override_settings(LANGUAGE_CODE="en")
def test_the_input_is_text_showing_the_day_first():
    html = str(When(initial={"on": dt.date(2027, 1, 5)})["on"])
    assert 'type="text"' in html and 'value="05/01/2027"' in html
    with translation.override("vi"):
        assert 'placeholder="ngày/tháng/năm"' in str(When()["on"])
