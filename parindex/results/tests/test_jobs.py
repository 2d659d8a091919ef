"""Publication and the heavy results documents run as background jobs: the page starts the job,
the job's page gives the result, and the file obeys the rule of the page it comes from."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parindex.accounts.models import RoleAssignment
from parindex.jobs.models import Job
from parindex.results.models import Snapshot
from parindex.rounds.models import Round

PERSONAS = ("admin", "par_officer", "appraiser", "council", "unit_editor", "unit_head", "viewer")


def _start(client, round_pk, kind, **data):
    response = client.post(reverse("results:document_job", args=[round_pk, kind]), data)
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


@pytest.mark.parametrize("persona", [*PERSONAS, "outsider"])
@pytest.mark.parametrize("kind, page", [("xlsx", "results:ranking"), ("docx", "results:analysis")])
def test_a_document_job_and_its_file_follow_the_page_rule(
    client, scored, request, persona, kind, page
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page_ok = client.get(reverse(page, args=[scored.previous.pk])).status_code == 200
    response = client.post(reverse("results:document_job", args=[scored.previous.pk, kind]))
    if not page_ok:
        assert response.status_code in (403, 404)
        assert not Job.objects.exists()
        return
    job = Job.objects.get(by=user)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED, job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert data[:2] == b"PK"  # an Office Open XML file
    assert job.result_name.endswith(".docx" if kind == "docx" else ".xlsx")


def test_a_unit_officers_workbook_reaches_only_their_own_pages(client, scored, unit_editor):
    client.force_login(unit_editor)
    job = _start(client, scored.previous.pk, "xlsx", type="SO")
    data = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
    assert any("HOME" in name for name in names)
    assert not any("OTHER" in name for name in names)


def test_the_same_document_asked_again_returns_the_same_job(client, scored, council):
    client.force_login(council)
    first = _start(client, scored.previous.pk, "xlsx")
    again = _start(client, scored.previous.pk, "xlsx")
    other = _start(client, scored.previous.pk, "decision")
    assert first.pk == again.pk != other.pk
    assert Job.objects.count() == 2


def test_the_file_is_refused_once_its_page_is(client, scored, viewer):
    client.force_login(viewer)
    job = _start(client, scored.previous.pk, "xlsx")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    RoleAssignment.objects.filter(user=viewer).delete()
    client.force_login(viewer)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403


def test_publish_runs_as_a_job_and_links_the_ranking(client, scored, par_officer):
    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    client.force_login(par_officer)
    response = client.post(reverse("results:publish", args=[scored.current.pk]))
    job = Job.objects.get(kind="results.publish")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    snapshot = Snapshot.objects.get(round=scored.current)
    assert job.state == Job.State.SUCCEEDED
    page = client.get(response["Location"]).content.decode()
    assert snapshot.sha256 in page
    assert reverse("results:ranking", args=[scored.current.pk]) in page


def test_a_refused_publication_says_why_and_can_be_asked_again(client, scored, par_officer):
    client.force_login(par_officer)
    response = client.post(reverse("results:publish", args=[scored.current.pk]))
    job = Job.objects.get(kind="results.publish")
    assert job.state == Job.State.FAILED
    assert len(job.problems) == 1
    page = client.get(response["Location"]).content.decode()
    assert job.problems[0] in page
    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    client.post(reverse("results:publish", args=[scored.current.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert Job.objects.filter(kind="results.publish").count() == 1
