"""Forms of the index-set pages: upload, clone, details and bands, and a node with its rule.

The node form asks the engine about the node (`services.check_node`) and shows each problem
next to the field it concerns; rules are typed as officials write them ("Đúng hạn=1; Chậm=0,5").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex import engine
from parindex.core.numbers import TypedDecimalField
from parindex.indexsets import files, services
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.problems import IndexSetRefused, problem_message
from parindex.indexsets.ruletext import (
    RULE_LABELS,
    RuleTextError,
    format_options,
    format_tiers,
    parse_number,
    parse_options,
    parse_tiers,
    spec_number,
)
from parindex.units.models import UnitType


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("YAML or XLSX file"),
        help_text=gettext_lazy("The canonical YAML file or the XLSX form, as downloaded here."),
    )
    draft = forms.BooleanField(
        label=gettext_lazy("Keep as a draft (do not publish)"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload

    def read(self) -> tuple[engine.IndexSet, str]:
        """The index set in the uploaded file and its canonical YAML; IndexSetRefused if bad."""
        upload = self.cleaned_data["file"]
        source = files.read_index_set_file(upload.read(), upload.name)
        return source, files.export_file(source, "yaml").content.decode("utf-8")


class ApplyForm(forms.Form):
    """The previewed file, sent back as canonical YAML to be applied."""

    content = forms.CharField(widget=forms.HiddenInput)
    draft = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def read(self) -> engine.IndexSet:
        data = self.cleaned_data["content"].encode("utf-8")
        return files.read_index_set_file(data, "upload.yaml")


def _next_year_code(code: str, year: int) -> str:
    replaced = re.sub(r"(19|20|21)\d\d", str(year), code)
    return replaced if replaced != code else f"{code}-{year}"


class CloneForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("New code"), max_length=32)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    valid_from = forms.IntegerField(
        label=gettext_lazy("Valid from (year)"), min_value=1900, max_value=2200
    )
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=500, required=False)

    @classmethod
    def for_source(cls, source: IndexSet, data: Any = None) -> CloneForm:
        """The form, proposing next year's code and name (SO-2024 → SO-2027)."""
        year = max(source.valid_from, timezone.localdate().year) + 1
        initial = {
            "code": _next_year_code(source.code, year),
            "name": re.sub(r"(19|20|21)\d\d", str(year), source.name),
            "valid_from": year,
            "legal_basis": source.legal_basis,
        }
        return cls(data, initial=initial)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if any(char.isspace() or char == "/" for char in code):
            raise forms.ValidationError(_("A code has no spaces or '/'."))
        if IndexSet.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used by another index set.") % {"code": code}
            )
        return code


class DetailsForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    unit_type = forms.ModelChoiceField(
        label=gettext_lazy("Unit type"), queryset=UnitType.objects.all(), empty_label=None
    )
    valid_from = forms.IntegerField(
        label=gettext_lazy("Valid from (year)"), min_value=1900, max_value=2200
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bands = forms.CharField(
        label=gettext_lazy("Bands"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One band per line, highest first: code | name | minimum percent, e.g. TOT | Tốt | 90."
        ),
    )

    @classmethod
    def for_set(cls, index_set: IndexSet, bands: list[Any], data: Any = None) -> DetailsForm:
        lines = "\n".join(f"{b.code} | {b.name} | {spec_number(b.min_percent)}" for b in bands)
        initial = {
            "name": index_set.name,
            "unit_type": index_set.unit_type,
            "valid_from": index_set.valid_from,
            "legal_basis": index_set.legal_basis,
            "bands": lines,
        }
        return cls(data, initial=initial)

    def clean_bands(self) -> list[dict[str, Any]]:
        bands = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(line)d: write code | name | minimum percent.") % {"line": number}
                )
            try:
                minimum = spec_number(parse_number(parts[2]))
            except RuleTextError as error:
                raise forms.ValidationError(f"{number}: {error}") from None
            bands.append({"code": parts[0], "name": parts[1], "min_percent": minimum})
        problems = services.check_bands(bands)
        if problems:
            raise forms.ValidationError([problem_message(problem) for problem in problems])
        return bands


# Where the engine's problem paths (after the node's own code) land in the node form.
PROBLEM_FIELDS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "max_points": "max_points",
    "source": "source",
    "input": "input",
    "not_applicable": "not_applicable",
    "owner": "owner",
    "evidence": "evidence",
    "guidance": "guidance",
    "rule/type": "rule_type",
    "rule/step": "step",
    "rule/options": "options",
    "rule/tiers": "tiers",
    "rule/per_item": "per_item",
    "rule": "rule_type",
}


class NodeForm(forms.Form):
    """A criterion's fields; on a leaf also its source, N/A policy and rule."""

    code = forms.CharField(label=gettext_lazy("Code"), max_length=32)
    name = forms.CharField(label=gettext_lazy("Name"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Criterion.Kind.choices)
    max_points = TypedDecimalField(
        label=gettext_lazy("Maximum points"), limit=Decimal("99999.99"), decimals=2
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=Criterion.Source.choices)
    input = forms.ChoiceField(
        label=gettext_lazy("Computed from"),
        required=False,
        choices=[("", "—"), *Criterion.Input.choices],
        help_text=gettext_lazy("For a computed criterion: the monitoring rate it is scored on."),
    )
    not_applicable = forms.ChoiceField(
        label=gettext_lazy("Not applicable"), choices=Criterion.NotApplicable.choices
    )
    rule_type = forms.ChoiceField(
        label=gettext_lazy("Scoring rule"),
        choices=[(key, label) for key, label in RULE_LABELS.items()],
    )
    step = forms.CharField(
        label=gettext_lazy("Step"),
        required=False,
        help_text=gettext_lazy("Points are entered in multiples of the step, e.g. 0,25."),
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("label=points separated by ';', e.g. Đúng hạn=1; Chậm=0,5; Không=0"),
    )
    tiers = forms.CharField(
        label=gettext_lazy("Tiers"),
        required=False,
        help_text=gettext_lazy("from percent=points, highest first, e.g. 100%=1; 80%=0,5"),
    )
    per_item = forms.CharField(label=gettext_lazy("Points deducted per item"), required=False)
    owner = forms.CharField(
        label=gettext_lazy("Responsible unit (code)"), max_length=40, required=False
    )
    evidence = forms.CharField(
        label=gettext_lazy("Required evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guidance = forms.CharField(
        label=gettext_lazy("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.CharField(required=False, widget=forms.HiddenInput)

    LEAF_FIELDS = (
        "source",
        "input",
        "not_applicable",
        "rule_type",
        "step",
        "options",
        "tiers",
        "per_item",
    )

    def __init__(
        self, *args: Any, is_leaf: bool, is_top: bool, category: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.is_leaf, self.is_top, self.category = is_leaf, is_top, category
        self.check: services.NodeCheck | None = None
        if not is_top:
            del self.fields["kind"]
        if not is_leaf:
            for name in self.LEAF_FIELDS:
                del self.fields[name]
            if category == Criterion.Kind.NORMAL:
                self.fields["max_points"].disabled = True
                self.fields["max_points"].help_text = _(
                    "The sum of its sub-criteria; change theirs to change it."
                )

    @staticmethod
    def initial_for(criterion: Criterion, revision: str) -> dict[str, Any]:
        """The form's initial values for an existing criterion."""
        rule = criterion.rule or {"type": "range"}
        return {
            "code": criterion.code,
            "name": criterion.name,
            "kind": criterion.kind,
            "max_points": criterion.max_points,
            "source": criterion.source,
            "input": criterion.input,
            "not_applicable": criterion.not_applicable,
            "rule_type": rule["type"],
            "step": _shown(rule.get("step", "")),
            "options": format_options(rule.get("options", [])),
            "tiers": format_tiers(rule.get("tiers", [])),
            "per_item": _shown(rule.get("per_item", "")),
            "owner": criterion.owner,
            "evidence": criterion.evidence,
            "guidance": criterion.guidance,
            "revision": revision,
        }

    def rule(self) -> dict[str, Any] | None:
        """The rule typed in the form, in the YAML shape (None when it is the default)."""
        data = self.cleaned_data
        rule_type = data.get("rule_type") or "range"
        rule: dict[str, Any] = {"type": rule_type}
        try:
            if rule_type == "range" and data.get("step"):
                rule["step"] = spec_number(parse_number(data["step"]))
            elif rule_type == "choice":
                rule["options"] = parse_options(data.get("options", ""))
            elif rule_type == "percent_tiers":
                rule["tiers"] = parse_tiers(data.get("tiers", ""))
            elif rule_type == "deduction":
                rule["per_item"] = spec_number(parse_number(data.get("per_item") or ""))
        except RuleTextError as error:
            field = {"range": "step", "choice": "options", "percent_tiers": "tiers"}
            self.add_error(field.get(rule_type, "per_item"), str(error))
            return None
        return rule

    def values(self) -> dict[str, Any]:
        """The node's values for the services (after is_valid)."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            key: data.get(key, "") for key in ("code", "name", "owner", "evidence", "guidance")
        }
        values["kind"] = data.get("kind", Criterion.Kind.NORMAL)
        values["max_points"] = data.get("max_points") or Decimal(0)
        if self.is_leaf:
            values["source"] = data.get("source", Criterion.Source.SELF)
            if values["source"] == Criterion.Source.COMPUTED:
                values["input"] = data.get("input", "")
            values["not_applicable"] = data.get("not_applicable", Criterion.NotApplicable.NONE)
            values["rule"] = self.rule()
        return values

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        values = self.values()
        if self.errors:
            return data
        category = values["kind"] if self.is_top else self.category
        self.check = services.check_node(values=values, is_leaf=self.is_leaf, category=category)
        for problem in self.check.problems:
            self.add_error(_problem_field(problem.path, self), problem_message(problem))
        return data


def _problem_field(path: str, form: forms.Form) -> str | None:
    parts = path.split("/")
    if parts and parts[0] == "criteria":
        parts = parts[1:]
    if parts and parts[0].startswith("~"):
        parts = parts[1:]
    rest = parts[1:]  # after the node's own code
    for size in (2, 1):
        field = PROBLEM_FIELDS.get("/".join(rest[:size]))
        if field and field in form.fields:
            return field
    return None


def _shown(value: Any) -> str:
    if value in ("", None):
        return ""
    return str(value).replace(".", ",")


class MoveForm(forms.Form):
    parent = forms.ChoiceField(label=gettext_lazy("Move under"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parent"]).choices = [("", _("(top level)")), *choices]


class PreviewForm(forms.Form):
    """A value to try on the rule being edited, beside the sample inputs."""

    sample = forms.CharField(label=gettext_lazy("Try a value"), required=False, max_length=50)


def refused_errors(form: forms.Form, refused: IndexSetRefused) -> None:
    """Show a service's refusal on the form."""
    for problem in refused.problems:
        form.add_error(None, problem)
