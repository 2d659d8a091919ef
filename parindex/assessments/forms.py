"""Forms of the assessment pages: they clean what was typed; services decide what it means."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parindex.assessments.models import Appraisal, Assessment
from parindex.core.forms import date_field


class LeafForm(forms.Form):
    """One leaf of the self-assessment grid, as the row posts it on every change."""

    version = forms.IntegerField(min_value=0)
    value = forms.CharField(required=False, max_length=100)
    na = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=4000)
    no_evidence_reason = forms.CharField(required=False, max_length=4000)


class DecisionForm(forms.Form):
    """An appraiser's decision on one item."""

    version = forms.IntegerField(min_value=0)
    decision = forms.ChoiceField(label=_("Decision"), choices=Appraisal.Decision.choices)
    value = forms.CharField(label=_("Appraised value"), required=False, max_length=100)
    na = forms.BooleanField(label=_("Not applicable"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000)
    question = forms.CharField(label=_("Question to the unit"), required=False, max_length=4000)


class AnswerForm(forms.Form):
    """The unit's explanation for one request."""

    answer = forms.CharField(
        label=_("Explanation"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    """A mandatory reason (council sends back)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    """The PAR office reopens an assessment for the unit or the appraisers."""

    to = forms.ChoiceField(
        label=_("Reopen for"),
        choices=[
            (Assessment.Status.DRAFT, _("the unit (back to draft)")),
            (Assessment.Status.IN_APPRAISAL, _("the appraisers (back to appraisal)")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    until_on = date_field(
        _("Unit may work until"),
        required=False,
        help_text=_("Needed when reopening for the unit after its deadline."),
    )


class DocumentFields(forms.Form):
    """What identifies a document: title, number, date and issuer."""

    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2629/QĐ-UBND"}),
    )
    issued_on = date_field(_("Issued on"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=300, required=False)


class UploadForm(DocumentFields):
    """Upload a file to the unit's library (optionally attaching it to an item at once)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG, at most %(mb)s MB.")
        % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
    )

    field_order = ["file", "title", "number", "issued_on", "issuer"]


class RegisterForm(DocumentFields):
    """Cite a document by its number, date, issuer and title, without a file."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["number"].required = True


class AttachForm(forms.Form):
    """Attach a document of the library to an item."""

    evidence = forms.IntegerField(label=_("Document"))
