"""The job pages: the list, a job's progress polled with htmx, its result file; each role sees
only its own jobs, the PAR office everyone's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.jobs.models import Job
from parindex.jobs.tests.factories import make_job

ROLES = ("admin", "par_officer", "appraiser", "council", "unit_editor", "unit_head", "viewer")


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_lists_its_own_jobs_and_the_office_everyones(client, request, persona):
    user = request.getfixturevalue(persona)
    other = request.getfixturevalue("outsider")
    own = make_job(user, text="mine")
    theirs = make_job(other, text="theirs")
    client.force_login(user)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[own.pk]) in page
    office = persona in ("admin", "par_officer")
    assert (reverse("jobs:detail", args=[theirs.pk]) in page) is office
    detail = client.get(reverse("jobs:detail", args=[theirs.pk]))
    assert detail.status_code == (200 if office else 404)
    download = client.get(reverse("jobs:download", args=[theirs.pk]))
    assert download.status_code == (200 if office else 404)


def test_a_running_job_polls_every_second_and_a_finished_one_stops(client, unit_editor):
    job = make_job(unit_editor, state=Job.State.RUNNING)
    Job.objects.filter(pk=job.pk).update(done=1, total=4)
    client.force_login(unit_editor)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="25"' in page
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b'id="job-progress"' in fragment.content
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, result_name="echo.txt")
    done = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert b"every 1s" not in done.content
    assert reverse("jobs:download", args=[job.pk]).encode() in done.content


def test_a_refused_job_shows_every_problem(client, unit_editor):
    job = make_job(unit_editor, state=Job.State.FAILED)
    Job.objects.filter(pk=job.pk).update(problems=["Dòng 2: sai", "Dòng 5: thiếu"])
    client.force_login(unit_editor)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Dòng 2: sai" in page and "Dòng 5: thiếu" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403


def test_the_file_is_refused_when_the_page_rule_no_longer_allows_it(client, unit_editor):
    job = make_job(unit_editor, closed=True)
    client.force_login(unit_editor)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) not in page


def test_the_file_download_is_the_stored_file_and_is_audited(client, unit_editor):
    from parindex.core.models import AuditEntry

    job = make_job(unit_editor)
    client.force_login(unit_editor)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"hello"
    assert 'filename="echo.txt"' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="document.downloaded", actor=unit_editor).exists()


def test_the_job_list_is_bounded_in_queries(
    client, par_officer, unit_editor, django_assert_max_num_queries
):
    for number in range(30):
        make_job(unit_editor, text=str(number))
    client.force_login(par_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jobs:list")).status_code == 200
