"""Write endpoints: the same services and checks as the pages and file imports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex.assessments.models import Evidence, Item
from parindex.core.models import AuditEntry
from parindex.monitoring.models import Progress
from parindex.results.tests.conftest import scored_world

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def scored(par_officer, home_unit, other_unit):
    return scored_world(par_officer, home_unit, other_unit)


def _appraised(round_, unit_code, code):
    item = Item.objects.get(
        assessment__round=round_, assessment__unit__code=unit_code, criterion__code=code
    )
    return item.appraised_answer, item.appraised_points


def test_scores_are_imported_through_the_file_imports_service(token_client, scored):
    rows = [{"unit_code": "HOME", "criterion_code": "1.2", "stage": "appraised", "points": "2"}]
    response = token_client("scores:write").post(
        f"/api/v1/rounds/{scored.current.code}/scores",
        {"rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "dry_run": False,
        "counts": {"self": 0, "appraised": 1, "survey": 0},
    }
    answer, points = _appraised(scored.current, "HOME", "1.2")
    assert points == Decimal("2")
    entry = AuditEntry.objects.get(action="round.scores_imported")
    assert entry.actor.api_token.name.startswith("Client")


def test_one_bad_row_refuses_the_whole_import(token_client, scored):
    before = _appraised(scored.current, "HOME", "1.2")
    rows = [
        {"unit_code": "HOME", "criterion_code": "1.2", "stage": "appraised", "points": "2"},
        {"unit_code": "HOME", "criterion_code": "9.9", "stage": "appraised", "points": "1"},
        {"unit_code": "NOPE", "criterion_code": "1.2", "stage": "self", "points": "1"},
    ]
    response = token_client("scores:write").post(
        f"/api/v1/rounds/{scored.current.code}/scores",
        {"rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "9.9" in detail and "NOPE" in detail
    assert response.json()["code"] == "scores.invalid"
    assert _appraised(scored.current, "HOME", "1.2") == before


def test_a_note_with_a_nul_character_is_refused_and_changes_nothing(token_client, scored):
    before = _appraised(scored.current, "HOME", "1.2")
    row = {"unit_code": "HOME", "criterion_code": "1.2", "stage": "appraised", "points": "2"}
    response = token_client("scores:write").post(
        f"/api/v1/rounds/{scored.current.code}/scores",
        {"rows": [{**row, "note": "đã xác minh\x00"}]},
        content_type="application/json",
    )
    assert response.status_code == 422  # PostgreSQL refused it in the write: a 500
    (problem,) = response.json()["detail"]
    assert problem["loc"][-3:] == ["rows", 0, "note"] and "NUL" in problem["msg"]
    assert _appraised(scored.current, "HOME", "1.2") == before


def test_a_nul_character_is_refused_in_every_text_the_api_writes(token_client, scored):
    submission = {"report_type": "BC", "unit": "HOME\x00", "period": "2026"}
    response = token_client().post(
        "/api/v1/monitoring/submissions",
        {**submission, "submitted_on": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "NUL" in response.json()["detail"][0]["msg"]
    document = {"unit": "HOME", "title": "Quyết định\x00", "number": "12/QĐ"}
    assert token_client().post("/api/v1/documents", {**document, "unit": "\x00"}).status_code == 422
    response = token_client().post("/api/v1/documents", document)  # a multipart form
    assert response.status_code == 422 and "NUL" in response.json()["detail"]
    assert not Evidence.objects.filter(title__startswith="Quyết định").exists()


def test_a_dry_run_checks_and_writes_nothing(token_client, scored):
    before = _appraised(scored.current, "HOME", "1.2")
    rows = [{"unit_code": "HOME", "criterion_code": "1.2", "stage": "appraised", "points": "1"}]
    response = token_client("scores:write").post(
        f"/api/v1/rounds/{scored.current.code}/scores",
        {"rows": rows, "dry_run": True},
        content_type="application/json",
    )
    assert response.json()["counts"]["appraised"] == 1
    assert _appraised(scored.current, "HOME", "1.2") == before


def test_a_published_rounds_scores_are_refused(token_client, scored):
    rows = [{"unit_code": "HOME", "criterion_code": "1.2", "stage": "appraised", "points": "1"}]
    response = token_client("scores:write").post(
        f"/api/v1/rounds/{scored.previous.code}/scores",
        {"rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "published" in response.json()["detail"] or "công bố" in response.json()["detail"]


def test_a_token_limited_to_units_writes_only_theirs(token_client, scored):
    client = token_client("scores:write", units=[scored.home])
    rows = [{"unit_code": "OTHER", "criterion_code": "1.2", "stage": "appraised", "points": "1"}]
    response = client.post(
        f"/api/v1/rounds/{scored.current.code}/scores",
        {"rows": rows},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "OTHER" in response.json()["detail"]


def test_a_unit_reports_a_task_done_with_a_registered_document(
    token_client, home_progress, home_unit, clock
):
    client = token_client("monitoring:write", "evidence:write", units=[home_unit])
    registered = client.post(
        "/api/v1/documents",
        {
            "unit": "HOME",
            "title": "Báo cáo kết quả thực hiện nhiệm vụ 1",
            "number": "45/BC-SNH",
            "issued_on": "2026-06-05",
            "issuer": "Sở Nhà",
        },
    )
    assert registered.status_code == 200, registered.content
    document = registered.json()
    assert document["created"] is True and document["kind"] == "document"
    again = client.post(
        "/api/v1/documents",
        {"unit": "HOME", "title": "Báo cáo", "number": "45/bc-snh", "issued_on": "2026-06-05"},
    )
    assert again.json() == {**document, "created": False}
    response = client.post(
        "/api/v1/monitoring/progress",
        {
            "plan": "KH-2026",
            "task": "1",
            "unit": "HOME",
            "status": "done",
            "completed_on": "2026-06-08",
            "document": document["id"],
            "note": "Đã hoàn thành",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert response.json()["review"] == "pending"
    home_progress.refresh_from_db()
    assert home_progress.status == Progress.Status.DONE
    assert home_progress.evidence_id == document["id"]
    assert home_progress.reported_by.api_token is not None


def test_done_without_a_document_is_refused_with_the_services_reasons(
    token_client, home_progress, clock
):
    response = token_client("monitoring:write").post(
        "/api/v1/monitoring/progress",
        {"plan": "KH-2026", "task": "1", "unit": "HOME", "status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "ngày" in response.json()["detail"].lower() or "day" in response.json()["detail"]
    home_progress.refresh_from_db()
    assert home_progress.status == Progress.Status.NOT_STARTED


def test_a_token_for_another_unit_cannot_report_its_progress(
    token_client, home_progress, other_unit, clock
):
    response = token_client("monitoring:write", units=[other_unit]).post(
        "/api/v1/monitoring/progress",
        {"plan": "KH-2026", "task": "1", "unit": "HOME", "status": "in_progress"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_report_submission_is_recorded(token_client, quarterly, home_unit, clock):
    response = token_client("monitoring:write").post(
        "/api/v1/monitoring/submissions",
        {
            "report_type": "BC-QUY",
            "unit": "HOME",
            "period": "2026-Q1",
            "submitted_on": "2026-03-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["due_on"] == "2026-03-15"


def test_a_document_file_is_checked_like_any_upload(token_client, home_unit):
    client = token_client("evidence:write")
    accepted = client.post(
        "/api/v1/documents",
        {
            "unit": "HOME",
            "title": "Quyết định",
            "number": "12/QĐ",
            "file": SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["kind"] == "file"
    assert Evidence.objects.get(pk=accepted.json()["id"]).content_type == "application/pdf"
    refused = client.post(
        "/api/v1/documents",
        {
            "unit": "HOME",
            "title": "Tệp lạ",
            "file": SimpleUploadedFile(
                "qd.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
        },
    )
    assert refused.status_code == 422
    assert Evidence.objects.count() == 1


def test_an_unknown_unit_is_refused(token_client, db):
    response = token_client("evidence:write").post(
        "/api/v1/documents", {"unit": "NOPE", "title": "X"}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "english"),
    [
        ("get", "/api/v1/rounds/NOPE", None, 404, "no round NOPE"),
        ("get", "/api/v1/rounds/NOPE/results", None, 404, "no round NOPE"),
        ("get", "/api/v1/units/NOPE", None, 404, "no unit NOPE"),
        ("get", "/api/v1/monitoring/plans/NOPE", None, 404, "no plan NOPE"),
        ("get", "/api/v1/national/tables/1990", None, 404, "no national table for 1990"),
        ("post", "/api/v1/rounds/NOPE/scores", {"rows": []}, 404, "no round NOPE"),
        (
            "post",
            "/api/v1/monitoring/progress",
            {"plan": "KH", "task": "1", "unit": "NOPE", "status": "in_progress"},
            422,
            "no unit NOPE",
        ),
    ],
    ids=["round", "results", "unit", "plan", "national", "scores", "progress-unit"],
)
def test_reads_and_writes_say_what_was_not_found_in_both_languages(
    token_client, method, path, body, status, english
):
    client = token_client()
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")
    assert response.status_code == status
    vietnamese, said = response.json()["detail"].split(" / ")
    assert said == english
    assert vietnamese.startswith("Không có ")
