"""Forms of the national PAR Index pages: imports, confirmation, areas, aliases and settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parindex.core.forms import AlphabeticalModelChoiceField
from parindex.core.numbers import TypedDecimalField
from parindex.core.queries import LetterheadSettings
from parindex.core.vietnamese_sql import vietnamese_order
from parindex.national.analysis import Group
from parindex.national.importing import MAX_BYTES, ProvinceResolver
from parindex.national.models import Province
from parindex.national.names import name_key


def _read_upload(upload: Any) -> tuple[bytes, str]:
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    return upload.read(), upload.name


class TableImportForm(forms.Form):
    file = forms.FileField(
        label=_("National table (CSV or XLSX)"),
        help_text=_(
            "Columns: year,province,index_percent,area_1,area_2,… (percentages with two "
            "decimals; one row per province and year; several years may share a file)."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)

    def clean_file(self) -> tuple[bytes, str]:
        return _read_upload(self.cleaned_data["file"])


class ConfirmReplaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for replacing (kept in the audit log)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AreaForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=300)
    max_points = TypedDecimalField(
        label=_("Maximum points"),
        required=False,
        min_value=Decimal("0.01"),
        limit=100,
        decimals=2,
    )
    lead = forms.CharField(label=_("Leading department"), max_length=200, required=False)


AreaFormSet = forms.formset_factory(AreaForm, extra=0)


class AliasForm(forms.Form):
    alias = forms.CharField(label=_("Other spelling"), max_length=100)
    province = AlphabeticalModelChoiceField(
        label=_("Province or city"), queryset=Province.objects.order_by(vietnamese_order("name"))
    )

    def clean_alias(self) -> str:
        alias = self.cleaned_data["alias"].strip()
        if not name_key(alias):
            raise forms.ValidationError(_("Write the other spelling of the name."))
        known = ProvinceResolver().by_key.get(name_key(alias))
        if known is not None:
            raise forms.ValidationError(
                _("“%(alias)s” is already recognised as %(province)s.")
                % {"alias": alias, "province": known.name}
            )
        return alias


class SettingsForm(forms.Form):
    province = AlphabeticalModelChoiceField(
        label=_("Our province"),
        queryset=Province.objects.filter(last_year__isnull=True).order_by(vietnamese_order("name")),
        help_text=_("The province whose place the analysis is about by default."),
    )
    group_a = TypedDecimalField(label=_("Group A from (%)"), limit=100, decimals=2)
    group_b = TypedDecimalField(label=_("Group B from (%)"), limit=100, decimals=2)
    group_c = TypedDecimalField(label=_("Group C from (%)"), limit=100, decimals=2)
    parent_agency = forms.CharField(
        label=_("Parent agency on documents"),
        max_length=200,
        required=False,
        help_text=_("E.g. UBND TỈNH HÀ THANH; empty: the People's Committee of our province."),
    )
    agency = forms.CharField(label=_("Issuing agency"), max_length=200)
    agency_code = forms.CharField(
        label=_("Agency code in document numbers"), max_length=20, help_text=_("E.g. SNV.")
    )
    place = forms.CharField(
        label=_("Place on documents"),
        max_length=100,
        required=False,
        help_text=_("Empty: the name of our province."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=150, required=False)
    letterhead_province = forms.CharField(
        label=_("Province issuing decisions"),
        max_length=100,
        required=False,
        help_text=_("E.g. Hà Thanh: printed as ỦY BAN NHÂN DÂN TỈNH HÀ THANH on decisions."),
    )
    province_level = forms.ChoiceField(
        label=_("Province or city"),
        choices=[("Tỉnh", "Tỉnh"), ("Thành phố", "Thành phố")],
        required=False,
        help_text=_("Thành phố for a centrally-run city."),
    )
    decision_signer_title = forms.CharField(
        label=_("Who signs the chairman's decisions"),
        max_length=100,
        required=False,
        help_text=_(
            "Chủ tịch when the chairman signs; Phó Chủ tịch signs as KT. CHỦ TỊCH (the default)."
        ),
    )
    decision_signer_name = forms.CharField(
        label=_("Name of who signs the decisions"), max_length=150, required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        a, b, c = data.get("group_a"), data.get("group_b"), data.get("group_c")
        if None not in (a, b, c) and not a > b > c:  # type: ignore[operator]
            raise forms.ValidationError(
                _("The thresholds must decrease: group A above group B above group C.")
            )
        return data

    def groups(self) -> list[Group]:
        data = self.cleaned_data
        return [
            Group("A", data["group_a"]),
            Group("B", data["group_b"]),
            Group("C", data["group_c"]),
        ]

    def letterhead(self) -> LetterheadSettings:
        data = self.cleaned_data
        return LetterheadSettings(
            parent_agency=data["parent_agency"],
            agency=data["agency"],
            agency_code=data["agency_code"],
            place=data["place"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            province=data.get("letterhead_province") or "",
            province_level=data.get("province_level") or "Tỉnh",
            decision_signer_title=data.get("decision_signer_title") or "Phó Chủ tịch",
            decision_signer_name=data.get("decision_signer_name") or "",
        )


class AppraisedImportForm(forms.Form):
    province = AlphabeticalModelChoiceField(
        label=_("Province or city"), queryset=Province.objects.order_by(vietnamese_order("name"))
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("Appraised points (CSV or XLSX)"),
        help_text=_(
            "Columns: criterion_code,criterion_name,max_points,points,owner (owner: the "
            "responsible department, by unit code or name)."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the points already imported for this province and year"), required=False
    )
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)

    def clean_file(self) -> tuple[bytes, str]:
        return _read_upload(self.cleaned_data["file"])
