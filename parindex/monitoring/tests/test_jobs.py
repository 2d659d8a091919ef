"""Recomputing the rates and computed criteria as background jobs: the rates page starts the
job, the job's page gives the CSV (the very bytes the command prints in the foreground), and
the file follows the rates page's rule."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from parindex.accounts.models import RoleAssignment
from parindex.assessments.scale import enrol
from parindex.assessments.tests.factories import save_index_set
from parindex.jobs.models import Job
from parindex.monitoring.tests.fixtures import computed_round
from parindex.rounds.scale import make_round


def _started(response) -> Job:
    assert response.status_code == 302, response.status_code
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def _file(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_rates_job_gives_the_commands_csv(client, monitored, council, capsys, tmp_path):
    client.force_login(council)
    job = _started(
        client.post(reverse("monitoring:rates_job"), {"year": 2026, "as_of": "2026-06-30"})
    )
    assert job.state == Job.State.SUCCEEDED, job.problems
    assert (job.done, job.total) == (2, 2)
    target = tmp_path / "rates.csv"
    call_command("monitoring_rates", "--year", "2026", "--as-of", "2026-06-30", "-o", str(target))
    data = _file(client, job)
    assert data == target.read_bytes()
    assert data.splitlines()[0] == (
        b"unit_code,tasks_due,tasks_on_time,tasks_done,reports_due,reports_on_time,"
        b"findings_due,findings_remedied"
    )
    assert b"HOME,2,2,2,2,2," in data


def test_asked_again_on_the_same_data_the_rates_job_is_the_same(client, monitored, council):
    client.force_login(council)
    data = {"year": 2026, "as_of": "2026-12-31"}
    first = _started(client.post(reverse("monitoring:rates_job"), data))
    again = _started(client.post(reverse("monitoring:rates_job"), data))
    other = _started(client.post(reverse("monitoring:rates_job"), {"year": 2026}))
    assert first.pk == again.pk == other.pk  # the default day is 31/12
    assert Job.objects.count() == 1


def test_the_computed_criteria_job_lists_every_units_values(
    client, monitored, computed_set, home_unit, other_unit, par_officer, tmp_path
):
    round_ = computed_round(computed_set, [home_unit, other_unit])
    client.force_login(par_officer)
    job = _started(client.post(reverse("monitoring:computed_job", args=[round_.pk])))
    assert job.state == Job.State.SUCCEEDED, job.problems
    assert (job.done, job.total) == (2, 2)
    lines = _file(client, job).decode().splitlines()
    assert lines[0] == "unit_code,criterion_code,input,numerator,denominator,as_of"
    assert "HOME,1.2,tasks_on_time,2,3,2026-12-31" in lines
    assert "HOME,1.3,reports_on_time,2,4,2026-12-31" in lines
    assert "OTHER,1.2,tasks_on_time,0,0,2026-12-31" in lines
    target = tmp_path / "computed.csv"
    call_command("monitoring_computed", round_.code, "-o", str(target))
    assert target.read_text().splitlines() == lines


def test_a_round_without_computed_criteria_is_refused_with_the_reason(
    client, home_unit, par_officer
):
    plain = save_index_set(
        {
            "code": "SO-P",
            "name": "Bộ chỉ số",
            "unit_type": "SO",
            "valid_from": 2026,
            "bands": [{"code": "A", "name": "A", "min_percent": 0}],
            "criteria": [
                {"code": "1", "name": "Lĩnh vực", "children": [
                    {"code": "1.1", "name": "Tiêu chí", "max_points": 2},
                ]},
            ],
        }
    )  # fmt: skip
    round_ = make_round("R-P", 2026, [plain])
    enrol(round_, plain, {home_unit: {}})
    client.force_login(par_officer)
    job = _started(client.post(reverse("monitoring:computed_job", args=[round_.pk])))
    assert (job.state, job.code) == (Job.State.FAILED, "monitoring.no_computed_criterion")
    assert any(round_.code in problem for problem in job.problems)


@pytest.mark.parametrize("persona", ["unit_editor", "appraiser", "outsider"])
def test_who_cannot_read_the_rates_cannot_start_the_job(client, request, persona, monitored):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("monitoring:rates_job"), {"year": 2026}).status_code == 403
    assert not Job.objects.exists()


def test_the_file_is_refused_once_the_rates_page_is(client, monitored, viewer):
    client.force_login(viewer)
    job = _started(client.post(reverse("monitoring:rates_job"), {"year": 2026}))
    RoleAssignment.objects.filter(user=viewer).delete()
    client.force_login(viewer)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 403
