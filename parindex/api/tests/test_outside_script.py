"""Done when: an outside script, with only a token and the published schema, pulls a round's
published results and pushes a department's task progress, and both show in the browser.

The script below is what another system would run: `requests` against a live server, the
paths taken from /api/schema/, nothing else of parindex. The pages are then read on the same
live server by a signed-in officer.
"""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from parindex.api.tests.conftest import make_token
from parindex.monitoring.tests.fixtures import make_plan, task_values
from parindex.results.tests.conftest import scored_world


def outside_script(base_url: str, token: str, round_code: str) -> dict:
    """Another system's script: find the operations in the schema, pull, then push."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    schema = requests.get(f"{base_url}/api/schema/", timeout=10).json()
    paths = {
        operation["operationId"]: path
        for path, item in schema["paths"].items()
        for operation in item.values()
    }
    results_path = next(path for op, path in paths.items() if op.endswith("round_results"))
    results = session.get(base_url + results_path.format(code=round_code), timeout=10).json()
    documents_path = next(path for op, path in paths.items() if op.endswith("register_document"))
    document = session.post(
        base_url + documents_path,
        data={"unit": "STP", "title": "Báo cáo kết quả nhiệm vụ", "number": "77/BC-STP"},
        timeout=10,
    ).json()
    progress_path = next(path for op, path in paths.items() if op.endswith("push_progress"))
    pushed = session.post(
        base_url + progress_path,
        json={
            "plan": "KH-API",
            "task": "1",
            "unit": "STP",
            "status": "done",
            "completed_on": dt.date.today().isoformat(),
            "document": document["id"],
            "note": "Gửi từ hệ thống quản lý văn bản",
        },
        timeout=10,
    )
    return {"results": results, "pushed": pushed.status_code, "progress": pushed.json()}


@pytest.mark.django_db(transaction=True)
def test_an_outside_script_pulls_results_and_pushes_progress_seen_in_the_browser(
    live_server, par_officer, client
):
    world = scored_world(par_officer)
    make_plan(
        par_officer,
        code="KH-API",
        tasks=[task_values(code="1", lead=("STP",), deadline=dt.date.today() + dt.timedelta(30))],
    )
    token = make_token(par_officer, "results:read", "monitoring:write", "evidence:write")
    outcome = outside_script(live_server.url, token, world.previous.code)

    assert outcome["results"]["sha256"] == world.snapshot.sha256
    assert outcome["results"]["provisional"] is False
    assert outcome["pushed"] == 200
    assert outcome["progress"]["status"] == "done"

    browser = requests.Session()
    client.force_login(par_officer)
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    results_page = browser.get(f"{live_server.url}/results/{world.previous.pk}/", timeout=10).text
    assert world.snapshot.sha256[:12] in results_page
    progress_page = browser.get(
        f"{live_server.url}/monitoring/progress/{outcome['progress']['id']}/", timeout=10
    ).text
    assert "Gửi từ hệ thống quản lý văn bản" in progress_page
    assert "77/BC-STP" in progress_page or "Báo cáo kết quả nhiệm vụ" in progress_page
