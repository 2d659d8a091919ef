"""The scores import from the browser: the upload starts a background job whose page shows the
counts, or every row's problem with nothing saved (the same report as `parindex scores import`)."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.assessments.models import Item
from parindex.assessments.tests.test_import_scores import GOOD
from parindex.jobs.models import Job

pytestmark = pytest.mark.django_db

BAD = (
    "unit_code,criterion_code,stage,points,note\nHOME,1.1,self,0.5,\nNOPE,1.1,self,1,\n"
    "HOME,1.2,draft,1,\n"
)


def upload(client, round_, text, name="scores.csv", **data):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    url = reverse("assessments:scores_import", args=[round_.pk])
    response = client.post(url, {"file": file, **data})
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def test_the_office_imports_a_file_in_the_background(client, round_, par_officer):
    client.force_login(par_officer)
    job = upload(client, round_, GOOD)
    assert job.state == Job.State.SUCCEEDED, job.problems
    assert Item.objects.get(assessment__unit__code="HOME", criterion__code="1.1").self_points == (
        D("0.50")
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.message in page
    assert reverse("rounds:detail", args=[round_.pk]) in page
    assert not default_storage.exists(job.arguments["file"])  # the upload is not kept


def test_a_bad_file_lists_every_problem_and_saves_nothing(client, round_, par_officer):
    client.force_login(par_officer)
    job = upload(client, round_, BAD)
    assert (job.state, job.code) == (Job.State.FAILED, "scores.invalid")
    assert job.codes == ["scores.unit_not_in_round", "scores.bad_stage"]
    assert [re.match(r"\D*(\d+)", problem).group(1) for problem in job.problems] == ["3", "4"]
    assert (
        Item.objects.get(assessment__unit__code="HOME", criterion__code="1.1").self_answer is None
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.problems[0] in page


def test_a_hostile_file_is_refused_cleanly(client, round_, par_officer):
    client.force_login(par_officer)
    job = upload(client, round_, "\x00\x01garbage", name="scores.xlsx")
    assert (job.state, job.code, job.codes) == (
        Job.State.FAILED,
        "scores.file_unreadable",
        ["scores.file_unreadable"],
    )
    assert job.problems and "Traceback" not in job.problems[0]


def test_the_same_file_twice_is_the_same_job_and_a_dry_run_saves_nothing(
    client, round_, par_officer
):
    client.force_login(par_officer)
    dry = upload(client, round_, GOOD, dry_run="on")
    assert dry.state == Job.State.SUCCEEDED
    assert (
        Item.objects.get(assessment__unit__code="HOME", criterion__code="1.1").self_answer is None
    )
    assert upload(client, round_, GOOD, dry_run="on").pk == dry.pk
    real = upload(client, round_, GOOD)
    assert real.pk != dry.pk


@pytest.mark.parametrize(
    "persona", ["appraiser", "council", "unit_editor", "unit_head", "viewer", "outsider"]
)
def test_only_the_office_uploads_scores(client, round_, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:scores_import", args=[round_.pk])
    assert client.get(url).status_code == 403
    file = SimpleUploadedFile("scores.csv", GOOD.encode(), content_type="text/csv")
    assert client.post(url, {"file": file}).status_code == 403
    assert not Job.objects.exists()
