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
    assert (job.state, job.code) == (Job.State.FAILED, "results.round_not_finalised")
    assert len(job.problems) == 1
    page = client.get(response["Location"]).content.decode()
    assert job.problems[0] in page
    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    client.post(reverse("results:publish", args=[scored.current.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert Job.objects.filter(kind="results.publish").count() == 1


@pytest.mark.parametrize("kind", ["xlsx", "docx", "pdf", "decision"])
def test_a_large_rounds_heavy_download_is_a_job_never_written_in_the_request(
    client, scored, par_officer, settings, monkeypatch, kind
):
    """Above RESULTS_DIRECT_MAX_UNITS (4 units here) the download link opens the job that makes
    the document; on the real queue the request only queues it."""
    from parindex.results import documents

    settings.RESULTS_DIRECT_MAX_UNITS = 3
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def written_in_the_request(*args, **kwargs):
        raise AssertionError("a heavy document was written inside the request")

    monkeypatch.setattr(documents, "render", written_in_the_request)
    client.force_login(par_officer)
    url = reverse("results:download", args=[scored.previous.pk, kind])
    response = client.get(url, {"type": "SO"})
    job = Job.objects.get(kind="results.document")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.by, job.arguments) == (
        Job.State.QUEUED,
        par_officer,
        {"round": scored.previous.pk, "kind": kind, "type": "SO"},
    )
    assert client.get(url, {"type": "SO"})["Location"] == response["Location"]  # the same job


def test_a_large_rounds_job_download_keeps_the_download_rule_and_small_rounds_stay_direct(
    client, scored, settings, unit_editor, par_officer
):
    client.force_login(unit_editor)  # may not read the report's analysis: no job either
    settings.RESULTS_DIRECT_MAX_UNITS = 3
    report = reverse("results:download", args=[scored.previous.pk, "docx"])
    assert client.get(report).status_code == 403
    assert not Job.objects.exists()
    workbook = client.get(reverse("results:download", args=[scored.previous.pk, "xlsx"]))
    job = Job.objects.get(by=unit_editor)
    assert workbook["Location"] == reverse("jobs:detail", args=[job.pk])
    file = client.get(reverse("jobs:download", args=[job.pk]))
    made = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert made.sheetnames == ["Xếp hạng SO", "HOME"]  # its own pages only, as in the request
    settings.RESULTS_DIRECT_MAX_UNITS = 4
    direct = client.get(reverse("results:download", args=[scored.previous.pk, "xlsx"]))
    assert direct.status_code == 200
    assert direct.content[:2] == b"PK"
