"""Forms of the API pages: a new token, a new webhook endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex.api.models import Endpoint
from parindex.api.scopes import Scope
from parindex.core.forms import date_field
from parindex.core.vietnamese_sql import vietnamese_order
from parindex.units.models import Unit


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Client"),
        max_length=150,
        help_text=_("The system that will use the token, e.g. “Hệ thống quản lý văn bản”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    units = UnitsField(
        label=_("Units it may write for"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to let its write scopes cover every unit."),
    )
    expires_on = date_field(_("Expires on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, UnitsField)
        units.queryset = (
            Unit.objects.filter(active_to__isnull=True)
            .select_related("unit_type")
            .order_by("unit_type__order", vietnamese_order("name"))
        )
        units.widget.attrs["size"] = 8
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=365))


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Endpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )
