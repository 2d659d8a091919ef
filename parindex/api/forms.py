"""Forms of the API pages: a new token, a new webhook endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex.api.models import Endpoint
from parindex.api.scopes import Scope
from parindex.core.forms import date_field
from parindex.units.forms import UnitCodesField
from parindex.units.models import Unit


def token_units() -> QuerySet[Unit]:
    """The units a token may be limited to: those that have not ended."""
    return Unit.objects.filter(active_to__isnull=True)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Client"),
        max_length=150,
        help_text=_("The system that will use the token, e.g. “Hệ thống quản lý văn bản”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    units = UnitCodesField(
        label=_("Units it may write for"),
        units=token_units(),
        options_url=reverse_lazy("api:unit_options"),
        required=False,
        help_text=_(
            "One unit a line: type a code or part of a name in the box below, then pick it. "
            "Leave empty to let its write scopes cover every unit."
        ),
    )
    expires_on = date_field(_("Expires on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=365))


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Endpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )
