"""Forms of the survey pages: they validate and clean; the services do the work."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex.core.forms import date_field
from parindex.rounds.models import Round
from parindex.surveys import queries
from parindex.surveys.models import Campaign, Questionnaire, RespondentGroup
from parindex.units.forms import UnitCodeField
from parindex.units.models import Unit


class UploadForm(forms.Form):
    """A CSV, XLSX or YAML file to import, checked first unless `dry_run` is unticked."""

    file = forms.FileField(label=_("File"))
    dry_run = forms.BooleanField(
        label=_("Only check the file, save nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload.read(), upload.name


class CopyForm(forms.Form):
    """Next year's questionnaire from this one."""

    code = forms.CharField(label=_("New code"), max_length=40)
    name = forms.CharField(label=_("New name"), max_length=300)
    index_set = forms.CharField(
        label=_("Index set code"),
        max_length=40,
        help_text=_("Its latest published version; every question's criterion must exist in it."),
    )


class CampaignForm(forms.Form):
    """Start collecting a questionnaire in a round."""

    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none())
    closes_on = date_field(_("Collect until"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["questionnaire"]
        ).queryset = Questionnaire.objects.select_related("index_set").order_by("code", "-version")
        cast(forms.ModelChoiceField, self.fields["round"]).queryset = Round.objects.exclude(
            status=Round.Status.PUBLISHED
        )
        self.fields["closes_on"].initial = timezone.localdate() + dt.timedelta(days=30)


class UnitGroupForm(forms.Form):
    """A form whose unit and group choices are the campaign's."""

    group = forms.ModelChoiceField(
        label=_("Respondent group"), queryset=RespondentGroup.objects.none()
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitCodeField(
            units=queries.campaign_units(campaign),
            options_url=reverse("surveys:campaign_unit_options", args=[campaign.pk]),
            unknown=_(
                "No unit with the code %(code)s is surveyed in this campaign; pick one from the "
                "list."
            ),
        )
        self.order_fields(["unit"])
        cast(
            forms.ModelChoiceField, self.fields["group"]
        ).queryset = RespondentGroup.objects.filter(questionnaire_id=campaign.questionnaire_id)


class TargetForm(UnitGroupForm):
    """Who evaluates which unit: a group for one unit or, left empty, for every unit."""

    population = forms.IntegerField(
        label=_("Population (N)"),
        min_value=0,
        required=False,
        help_text=_("The sample is then n = N / (1 + N·e²)."),
    )
    sample = forms.IntegerField(
        label=_("Sample target (n)"),
        min_value=0,
        required=False,
        help_text=_("Or give n directly."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, campaign=campaign, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _(
            "Type the unit's code or part of its name and pick it from the list; "
            "leave it empty for every unit of the campaign."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("population") is None and data.get("sample") is None:
            raise forms.ValidationError(_("Give the population N or the sample n."))
        return data

    def units(self, campaign: Campaign) -> list[Unit]:
        unit = self.cleaned_data.get("unit")
        return [unit] if unit else list(queries.campaign_units(campaign))


class InviteForm(UnitGroupForm):
    """Print a number of one-time links for a unit and group."""

    count = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=500, initial=10)


class ReopenForm(forms.Form):
    closes_on = date_field(_("Collect until"))

    def clean_closes_on(self) -> dt.date:
        day = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date must not be in the past."))
        return day


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    action = forms.ChoiceField(choices=[("exclude", "exclude"), ("include", "include")])


class PaperForm(UnitGroupForm):
    """One paper form typed in: its number, unit and group, then an answer per question."""

    form_number = forms.CharField(
        label=_("Form number"),
        max_length=40,
        help_text=_("The number printed or written on the paper form."),
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        questions: list[tuple[str, str, list[tuple[str, str]]]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, campaign=campaign, **kwargs)
        self.fields["unit"].widget = forms.HiddenInput()
        self.fields["group"].widget = forms.HiddenInput()
        self.question_fields = []
        for code, text, options in questions:
            # Clerks type the option's code (A, B…) and Tab on: faster than clicking.
            name = f"q-{code}"
            self.fields[name] = forms.CharField(
                label=f"{code}. {text}",
                required=False,
                max_length=16,
                help_text=" · ".join(f"{option} = {label}" for option, label in options),
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "size": 4, "class": "text-uppercase"}
                ),
            )
            self.question_fields.append(name)

    def answers(self) -> dict[str, str]:
        """{question code: option code typed, or ''} (matched without regard to case)."""
        return {
            name[2:]: (self.cleaned_data.get(name) or "").strip() for name in self.question_fields
        }
