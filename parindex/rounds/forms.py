"""Forms for rounds: create and reschedule, extensions, participating units."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parindex.core.forms import DATE_INPUT_FORMATS, DateInput, date_field
from parindex.indexsets.models import IndexSet
from parindex.rounds import queries, services
from parindex.rounds.models import EXTENDABLE_PHASES, Phase, Round
from parindex.units.forms import UnitCodeField
from parindex.units.models import Unit, UnitType


class ScheduleForm(forms.ModelForm):
    """Name and phase dates (shared by creating and rescheduling a round)."""

    class Meta:
        model = Round
        fields = ["name", "rank_within_peer_groups", *services.DATE_FIELDS, "as_of"]
        widgets = {name: DateInput() for name in [*services.DATE_FIELDS, "as_of"]}
        help_texts = {
            "as_of": _(
                "The day plan tasks, reports and inspection findings are counted at for the "
                "computed criteria; empty means 31/12 of the assessed year."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [*services.DATE_FIELDS, "as_of"]:
            cast(forms.DateField, self.fields[name]).input_formats = DATE_INPUT_FORMATS

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if all(data.get(name) for name in services.DATE_FIELDS):
            for problem in services.date_problems(data):
                self.add_error(None, problem)
        return data

    def dates(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.DATE_FIELDS}

    def _post_clean(self) -> None:
        # The service saves; the form must not validate the instance's constraints itself.
        pass


class RoundForm(ScheduleForm):
    """A new round: code, year, name, index set per unit type, dates."""

    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. CCHC-2025"))
    year = forms.IntegerField(label=_("Assessed year"), min_value=2000, max_value=2100)

    field_order = ["code", "year", "name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = IndexSet.objects.filter(status=IndexSet.Status.PUBLISHED).order_by(
            "code", "-version"
        )
        for unit_type in UnitType.objects.all():
            choices = [
                (s.pk, f"{s.code} v{s.version} – {s.name}")
                for s in published
                if s.unit_type_id == unit_type.pk
            ]
            if choices:
                self.fields[f"set_{unit_type.code}"] = forms.TypedChoiceField(
                    label=_("Index set for %(type)s") % {"type": unit_type.name},
                    choices=[("", _("— not assessed in this round —")), *choices],
                    coerce=int,
                    required=False,
                    empty_value=None,
                )

    def index_sets(self) -> dict[str, IndexSet]:
        """The chosen index set by unit type code."""
        ids = {
            name.removeprefix("set_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("set_") and value
        }
        sets = IndexSet.objects.select_related("unit_type").in_bulk(ids.values())
        return {code: sets[pk] for code, pk in ids.items()}


class EditForm(ScheduleForm):
    """Reschedule a round, with the reason recorded in the audit log."""

    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)


class ExtensionForm(forms.Form):
    """More time for one unit in one of its phases."""

    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[(phase.value, phase.label) for phase in Phase if phase in EXTENDABLE_PHASES],
    )
    until_on = date_field(_("Extended until"))
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitCodeField(
            units=queries.round_units(round_),
            options_url=reverse("rounds:unit_options", args=[round_.pk]),
            unknown=_(
                "No unit with the code %(code)s takes part in this round; pick one from the list."
            ),
        )
        self.order_fields(["unit"])


class AddUnitsForm(forms.Form):
    """Add units of the round's types that do not take part yet."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units to add"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = (
            Unit.objects.filter(unit_type__in=round_.index_sets.values("unit_type"))
            .exclude(assessments__round=round_)
            .order_by("unit_type__order", "code")
        )


class RemoveUnitForm(forms.Form):
    """Take a unit out of a round, saying why."""

    reason = forms.CharField(label=_("Reason"), max_length=1000)
