"""The scores import from the browser: the office uploads the scores file of a round; a
background job checks every row and imports all or nothing, and its page shows the report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from parindex.accounts import limits
from parindex.accounts.http import AuthedRequest
from parindex.assessments import jobs
from parindex.rounds import queries as rounds_queries


class ScoresImportForm(forms.Form):
    file = forms.FileField(
        label=_("Scores file (CSV or XLSX)"),
        help_text=_(
            "Columns: unit_code,criterion_code,stage,points,note; stage self, appraised or "
            "survey; points a number or NA. Any problem refuses the whole file."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload.name, upload.read()


@require_http_methods(["GET", "POST"])
@login_required
@limits.upload
def scores_import(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Upload a round's scores file; the import runs in the background (the job's page)."""
    round_ = rounds_queries.get_round_for_office(request.user, round_pk)
    form = ScoresImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        name, data = form.cleaned_data["file"]
        job = jobs.enqueue_import(
            round_=round_,
            name=name,
            data=data,
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "assessments/scores_import.html", {"round": round_, "form": form})
