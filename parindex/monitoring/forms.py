"""Forms for monitoring: plans and tasks, progress, reviews, reports, inspections, imports."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parindex import engine
from parindex.assessments.models import Evidence
from parindex.core.forms import date_field
from parindex.monitoring.models import Inspection, Plan, Progress, ReportType
from parindex.rounds.models import Round
from parindex.units.forms import UnitCodeField
from parindex.units.models import Unit, UnitType


def split_codes(text: str) -> tuple[str, ...]:
    """Codes typed or read separated by ';' (or ','), trimmed, empty ones dropped, in order."""
    parts = text.replace(",", ";").split(";")
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


class LibraryChoice(forms.ModelChoiceField):
    """A document of one unit's evidence library, shown with its number and date."""

    def label_from_instance(self, obj: Evidence) -> str:
        parts = [obj.title]
        if obj.number:
            parts.append(obj.number)
        if obj.issued_on:
            parts.append(obj.issued_on.strftime("%d/%m/%Y"))
        return " · ".join(parts)


def library(unit_id: int) -> Any:
    return Evidence.objects.filter(unit_id=unit_id).order_by("-created_at", "-id")


class PlanForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. KH-CCHC-2026"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=Plan.Kind.choices)
    title = forms.CharField(label=_("Title of the plan"), max_length=500)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        required=False,
        help_text=_("e.g. Quyết định số 2629/QĐ-UBND ngày 23/12/2025"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IssueForm(forms.Form):
    issued_on = date_field(_("Issued on"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)


class CloneForm(forms.Form):
    code = forms.CharField(label=_("Code of the new plan"), max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    title = forms.CharField(label=_("Title of the plan"), max_length=500)


class TaskForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.CharField(
        label=_("Lead"),
        help_text=_("Unit codes and/or unit type codes separated by ';' (XA = every commune)."),
    )
    coordinating = forms.CharField(label=_("Coordinating units"), required=False)
    deadline = date_field(_("Deadline"))
    product = forms.CharField(
        label=_("Expected product"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criterion_codes = forms.CharField(
        label=_("Linked criteria"), required=False, help_text=_("Criterion codes separated by ';'")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(task: Any) -> dict[str, Any]:
        return {
            "code": task.code,
            "title": task.title,
            "lead": "; ".join(task.lead),
            "coordinating": "; ".join(task.coordinating),
            "deadline": task.deadline,
            "product": task.product,
            "criterion_codes": "; ".join(task.criterion_codes),
            "version": task.version,
        }

    def values(self) -> Any:
        from parindex.monitoring.services import TaskValues

        data = self.cleaned_data
        return TaskValues(
            code=data["code"].strip(),
            title=data["title"].strip(),
            lead=split_codes(data["lead"]),
            coordinating=split_codes(data["coordinating"]),
            deadline=data["deadline"],
            product=data["product"].strip(),
            criterion_codes=split_codes(data["criterion_codes"]),
        )


class ProgressForm(forms.Form):
    """A unit's report on a task: status, completion day, the product, a note."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Progress.Status.NOT_STARTED, Progress.Status.NOT_STARTED.label),
            (Progress.Status.IN_PROGRESS, Progress.Status.IN_PROGRESS.label),
            (Progress.Status.DONE, Progress.Status.DONE.label),
        ],
    )
    completed_on = date_field(_("Completed on"), required=False)
    evidence = LibraryChoice(
        label=_("Product (document of the unit's library)"),
        queryset=Evidence.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["evidence"]).queryset = library(unit_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))]
    )
    reason = forms.CharField(
        label=_("Reason (when returning)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    until = date_field(_("Extended until"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class UrgeForm(forms.Form):
    progress = forms.ModelMultipleChoiceField(
        queryset=Progress.objects.none(), widget=forms.MultipleHiddenInput
    )
    message = forms.CharField(label=_("Message"), required=False, max_length=1000)

    def __init__(self, *args: Any, rows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["progress"]).queryset = rows


class ReportTypeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title of the report"), max_length=500)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=ReportType.Frequency.choices)
    due_day = forms.IntegerField(
        label=_("Due day"),
        min_value=1,
        max_value=31,
        help_text=_("Day of the period's last month (quarterly, 15 → 15/03, 15/06, 15/09, 15/12)."),
    )
    unit_types = forms.ModelMultipleChoiceField(
        label=_("Unit types that send it"),
        queryset=UnitType.objects.order_by("order"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)


class SubmitReportForm(forms.Form):
    """A unit sends a report for a period."""

    report_type = forms.ModelChoiceField(label=_("Report"), queryset=ReportType.objects.none())
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("2026-03, 2026-Q1, 2026-H1 or 2026")
    )
    submitted_on = date_field(_("Sent on"))
    document = LibraryChoice(
        label=_("Document (of the unit's library)"),
        queryset=Evidence.objects.none(),
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submitted_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["report_type"]
        ).queryset = ReportType.objects.filter(
            is_active=True, unit_types=unit.unit_type_id
        ).order_by("code")
        cast(forms.ModelChoiceField, self.fields["document"]).queryset = library(unit.pk)

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        try:
            engine.parse_period(period)
        except engine.EngineError as error:
            from parindex.indexsets.problems import error_message

            raise forms.ValidationError(error_message(error)) from None
        return period


class InspectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    # typed with suggestions: a national registry's 3,500 communes would be its whole weight
    unit = UnitCodeField(
        label=_("Inspected unit"),
        units=Unit.objects.all(),
        options_url=reverse_lazy("monitoring:unit_options"),
        unknown=_("No unit with the code %(code)s is in the registry; pick one from the list."),
    )
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=Inspection.Kind.choices)
    inspected_on = date_field(_("Inspected on"))
    plan = forms.ModelChoiceField(
        label=_("Inspection plan"),
        queryset=Plan.objects.filter(kind=Plan.Kind.INSPECTION),
        required=False,
    )
    team = forms.CharField(
        label=_("Inspection team"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    minutes = forms.FileField(label=_("Minutes (PDF, DOCX…)"))
    title = forms.CharField(label=_("Title of the document"), max_length=500, required=False)


class FindingForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    criterion_code = forms.CharField(label=_("Criterion"), max_length=40, required=False)
    remedy = forms.CharField(
        label=_("Required remedy"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedy_deadline = date_field(_("Remedy deadline"))


class RemedyForm(forms.Form):
    reported_on = date_field(_("Remedied on"))
    evidence = LibraryChoice(
        label=_("Evidence (document of the unit's library)"), queryset=Evidence.objects.none()
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["evidence"]).queryset = library(unit_id)


class VerifyForm(ReviewForm):
    pass


class RatesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    as_of = date_field(_("As of"), required=False)

    def as_of_day(self) -> dt.date:
        data = self.cleaned_data
        return data.get("as_of") or dt.date(data["year"], 12, 31)


class NationalRemediationForm(forms.Form):
    """Draft a remediation plan from the province's criteria that lost points in the national
    PAR Index of `source_year` (the fields a plan drafted from a round has too)."""

    code = forms.CharField(label=_("Code of the plan"), max_length=40)
    year = forms.IntegerField(label=_("Year of the plan"), min_value=2000, max_value=2200)
    title = forms.CharField(label=_("Title of the plan"), max_length=500)
    deadline = date_field(_("Deadline of its tasks"))
    limit = forms.IntegerField(
        label=_("At most this many criteria"),
        min_value=1,
        max_value=500,
        initial=20,
        help_text=_("Those with the most points lost first; each becomes one task."),
    )

    def __init__(self, *args: Any, source_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if source_year is not None and not self.is_bound:
            self.initial.update(self.defaults(source_year))

    @staticmethod
    def defaults(source_year: int) -> dict[str, Any]:
        """The plan of the next year, its tasks due by 30/09."""
        year = source_year + 1
        return {
            "code": f"KH-KP-{year}",
            "year": year,
            "title": gettext("Plan remedying the shortcomings of the PAR Index %(year)s")
            % {"year": source_year},
            "deadline": dt.date(year, 9, 30),
        }


class RemediationForm(NationalRemediationForm):
    """Draft a remediation plan from a published round's lost points."""

    round = forms.ModelChoiceField(label=_("Published round"), queryset=Round.objects.none())
    include_province = forms.BooleanField(
        label=_("Also the province's criteria that lost points in the central index"),
        required=False,
        initial=True,
    )
    field_order = ["round", "code", "year", "title", "deadline", "include_province", "limit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rounds = Round.objects.filter(status=Round.Status.PUBLISHED).order_by("-year", "code")
        cast(forms.ModelChoiceField, self.fields["round"]).queryset = rounds
        latest = rounds.first()
        if latest is not None and not self.is_bound:
            self.initial.update({"round": latest.pk, **self.defaults(latest.year)})


class PlanImportForm(forms.Form):
    """A plan's tasks from a CSV or XLSX file (a new plan is created as a draft)."""

    plan = forms.CharField(label=_("Code of the plan"), max_length=40)
    year = forms.IntegerField(label=_("Year of the plan"), min_value=2000, max_value=2200)
    title = forms.CharField(
        label=_("Title of the plan"),
        max_length=500,
        required=False,
        help_text=_("For a new plan; an existing plan keeps its title."),
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: code,title,lead,coordinating,deadline,criterion_codes,product; lead, "
            "coordinating and criterion codes separated by ';'; dates YYYY-MM-DD or dd/mm/yyyy."
        ),
    )

    def clean_file(self) -> tuple[str, bytes]:
        from parindex.documents import tables

        upload = self.cleaned_data["file"]
        try:
            return upload.name, tables.read_upload(upload)
        except tables.TableError as error:
            raise forms.ValidationError(str(error)) from None
