"""Filters for the audit log, a choice field in Vietnamese alphabetical order, and the date
field every form uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.apps import apps
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from parindex.core.queries import AuditFilter
from parindex.core.vietnamese import sorted_vi

# Dates are typed and shown as 29/11/2026 whatever the browser's language: an `<input
# type="date">` shows the browser's own order (mm/dd/yyyy in an English browser), and Django's
# default formats would read 05/01/2027 as 1 May. ISO dates (2026-11-29), as links and scripts
# write them, are accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """A text input showing a date as 29/11/2026."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        placeholder = {"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}
        super().__init__(attrs={**placeholder, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A date field typed as 29/11/2026 (ISO accepted)."""
    kwargs.setdefault("widget", DateInput())
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, **kwargs)


class _AlphabeticalIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted_vi(self.queryset, key=str):
            yield self.choice(obj)


class AlphabeticalModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options read in Vietnamese alphabetical order of their names
    (Đ after D, Ă and Â after A), whatever the database's collation."""

    iterator = _AlphabeticalIterator


def type_label(object_type: str) -> str:
    """An audited object type by its model's name ("accounts.user" -> "Người dùng")."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)

    def __init__(self, *args: object, object_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        types: list[tuple[str, Any]] = sorted(
            ((name, type_label(name)) for name in object_types), key=lambda choice: choice[1]
        )
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", _("All")), *types]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(**{key: value for key, value in data.items() if value})
