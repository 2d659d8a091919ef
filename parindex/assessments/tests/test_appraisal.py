"""Appraisal, explanations and the council through their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex import engine
from parindex.assessments import services
from parindex.assessments.models import Assessment, ExplanationRequest
from parindex.assessments.tests.fixtures import TZ
from parindex.assessments.tests.test_services import fill, item
from parindex.conftest import refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def submitted(assessment, unit_editor, unit_head):
    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    return assessment


def test_queue_lists_assigned_areas_with_progress(client, submitted, assigned_appraiser):
    client.force_login(assigned_appraiser)
    html = client.get(reverse("assessments:queue")).content.decode()
    assert "Sở Nhà" in html
    assert "0/3" in html  # area 1: three self-assessed leaves, none decided


def test_adjusting_needs_a_reason_and_the_engine_scores_the_new_value(
    client, submitted, assigned_appraiser
):
    current = item(submitted, "1.2")
    client.force_login(assigned_appraiser)
    url = reverse("assessments:decide", args=[current.pk])
    html = client.post(
        url, {"version": current.version, "decision": "adjust", "value": "7/10"}, headers=HTMX
    ).content.decode()
    assert "Hãy nêu lý do điều chỉnh." in html
    html = client.post(
        url,
        {
            "version": current.version,
            "decision": "adjust",
            "value": "7/10",
            "reason": "Chỉ 7/10 nhiệm vụ hoàn thành",
        },
        headers=HTMX,
    ).content.decode()
    current.refresh_from_db()
    assert str(current.appraised_points) == "0.00"
    assert "Chỉ 7/10 nhiệm vụ hoàn thành" in html
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.IN_APPRAISAL


def test_appraisal_page_previews_evidence_inline(
    client, submitted, assigned_appraiser, unit_editor
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence, _ = services.upload_evidence(
        unit=submitted.unit,
        by=unit_editor,
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 x"),
        title="Kế hoạch CCHC",
    )
    Assessment.objects.filter(pk=submitted.pk).update(status=Assessment.Status.DRAFT)
    services.attach_evidence(item=item(submitted, "1.1"), evidence=evidence, by=unit_editor)
    Assessment.objects.filter(pk=submitted.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(assigned_appraiser)
    html = client.get(reverse("assessments:appraise", args=[submitted.pk])).content.decode()
    assert 'target="evidence-preview"' in html
    assert '<iframe name="evidence-preview"' in html


def test_unit_answers_within_the_window_then_the_window_closes(
    client, submitted, assigned_appraiser, unit_editor, unit_head, clock
):
    for code in ("1.1", "1.3", "2.1", "2.2", "B"):
        current = item(submitted, code)
        services.decide(
            item=current, by=assigned_appraiser, version=current.version, decision="accept"
        )
    current = item(submitted, "1.2")
    services.decide(
        item=current,
        by=assigned_appraiser,
        version=current.version,
        decision="request",
        question="Gửi bảng theo dõi",
    )
    services.return_to_unit(assessment=submitted, by=assigned_appraiser)
    request = ExplanationRequest.objects.get()
    client.force_login(unit_editor)
    page = client.get(reverse("assessments:explanations", args=[submitted.pk])).content.decode()
    assert "Gửi bảng theo dõi" in page
    client.post(reverse("assessments:answer", args=[request.pk]), {"answer": "Đã gửi kèm"})
    request.refresh_from_db()
    assert request.answer == "Đã gửi kèm"
    clock.move_to(dt.datetime(2025, 1, 23, 8, 0, tzinfo=TZ))  # window closed on 22/01/2025
    client.force_login(unit_editor)  # the session expired meanwhile
    html = client.get(reverse("assessments:explanations", args=[submitted.pk])).content.decode()
    assert "Thời hạn giải trình đã kết thúc lúc 23:59 ngày 22/01/2025" in html
    client.force_login(unit_head)
    client.post(reverse("assessments:send_explanations", args=[submitted.pk]))
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.RETURNED
    # After the window the appraisers decide with what they have (second appraisal).
    current = item(submitted, "1.2")
    services.decide(item=current, by=assigned_appraiser, version=current.version, decision="accept")
    services.finalise(assessment=submitted, by=assigned_appraiser)
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.FINALISED


@pytest.fixture
def appraised(submitted, assigned_appraiser):
    """The home unit's assessment appraised and finalised: every value accepted but 1.2's,
    adjusted down with a reason."""
    for code in ("1.1", "1.3", "2.1", "2.2", "B"):
        current = item(submitted, code)
        services.decide(
            item=current, by=assigned_appraiser, version=current.version, decision="accept"
        )
    current = item(submitted, "1.2")
    services.decide(
        item=current,
        by=assigned_appraiser,
        version=current.version,
        decision="adjust",
        answer=engine.Ratio(7, 10),
        reason="Thiếu",
    )
    services.finalise(assessment=submitted, by=assigned_appraiser)
    return submitted


def test_the_council_summary_gives_each_unit_its_engine_scores_and_adjusted_items(
    appraised, other_assessment
):
    """The council's figures, read for the whole round at once, are each unit's own scores."""
    from parindex.assessments import pages, queries

    rows = {row.assessment.pk: row for row in pages.council_summary(appraised.round)}
    for assessment in (appraised, other_assessment):
        index_set = queries.engine_set_for(assessment)
        values = queries.item_values(assessment.items.all())
        own, final = (queries.score(index_set, values, stage) for stage in ("self", "final"))
        row = rows[assessment.pk]
        assert row.self_points == (own.points if own else None)
        assert row.final_points == (final.points if final else None)
        assert row.final_percent == (final.index_percent if final else None)
    assert rows[appraised.pk].final_points < rows[appraised.pk].self_points
    assert (rows[appraised.pk].adjusted, rows[other_assessment.pk].adjusted) == (1, 0)


def test_council_page_compares_self_and_appraised_totals(client, appraised, council):
    submitted = appraised
    client.force_login(council)
    html = client.get(reverse("assessments:council", args=[submitted.round_id])).content.decode()
    assert "Sở Nhà" in html
    client.post(reverse("assessments:approve", args=[submitted.pk]))
    assert Assessment.objects.get(pk=submitted.pk).approved_by == council
    client.post(reverse("assessments:send_back", args=[submitted.pk]), {"reason": "Xem lại 1.2"})
    back = Assessment.objects.get(pk=submitted.pk)
    assert back.status == Assessment.Status.IN_APPRAISAL and back.approved_at is None
    assert AuditEntry.objects.get(action="assessment.sent_back").reason == "Xem lại 1.2"


def test_office_reopens_for_the_unit_with_a_new_day(
    client, submitted, par_officer, unit_editor, clock
):
    clock.move_to(dt.datetime(2025, 1, 5, 9, 0, tzinfo=TZ))
    client.force_login(par_officer)  # logged in after the clock moved (sessions expire)
    client.post(
        reverse("assessments:reopen", args=[submitted.pk]),
        {"to": "draft", "reason": "Đơn vị nhập nhầm lĩnh vực 2", "until_on": "2025-01-08"},
    )
    reopened = Assessment.objects.get(pk=submitted.pk)
    assert reopened.status == Assessment.Status.DRAFT
    from parindex.assessments import queries

    assert queries.self_lock_for(reopened) is None
    assert AuditEntry.objects.get(action="assessment.reopened").reason.startswith("Đơn vị")


def test_history_shows_every_stage(client, submitted, assigned_appraiser):
    current = item(submitted, "1.1")
    services.decide(item=current, by=assigned_appraiser, version=current.version, decision="accept")
    client.force_login(assigned_appraiser)
    html = client.get(reverse("assessments:item_history", args=[current.pk])).content.decode()
    for heading in ("Tự đánh giá", "Thẩm định lần 1", "Giải trình", "Thẩm định lần 2"):
        assert heading in html
    assert "thẩm định tiêu chí" in html and "item.appraised_1" not in html  # in words


def test_queue_groups_by_unit_searches_and_hides_drafts(
    client, submitted, other_assessment, assigned_appraiser, round_, other_unit
):
    from parindex.indexsets.models import Criterion
    from parindex.rounds.models import Assignment

    area = Criterion.objects.filter(index_set__code="T-SO", parent__isnull=True).first()
    Assignment.objects.create(
        round=round_, unit=other_unit, area=area, appraiser=assigned_appraiser
    )  # the other unit is still a draft
    client.force_login(assigned_appraiser)
    url = reverse("assessments:queue")
    html = client.get(url).content.decode()
    assert html.count('class="queue-unit-head"') == 1  # one unit, its areas below it
    assert "Sở Nhà" in html and other_unit.name not in html
    assert "1 đơn vị chưa nộp" in html  # the hidden draft is counted
    html = client.get(url, {"drafts": "1"}).content.decode()
    assert html.count('class="queue-unit-head"') == 2 and other_unit.name in html
    html = client.get(url, {"drafts": "1", "q": other_unit.code.lower()}).content.decode()
    assert "Sở Nhà" not in html and other_unit.name in html
    html = client.get(url, {"q": "không có"}).content.decode()
    assert "empty-state" in html


def test_accept_all_remaining_items_of_a_unit_in_one_step(client, submitted, assigned_appraiser):
    client.force_login(assigned_appraiser)
    html = client.get(reverse("assessments:queue")).content.decode()
    assert "Chấp nhận tất cả nội dung còn lại" in html and "data-confirm" in html
    response = client.post(
        reverse("assessments:accept_remaining", args=[submitted.pk]),
        {"next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assessments:queue")
    undecided = submitted.items.filter(self_answer__isnull=False, appraisals__isnull=True)
    assert not undecided.exclude(criterion__source="survey").exists()
    entry = AuditEntry.objects.get(action="assessment.remaining_accepted")
    accepted = submitted.items.filter(appraisals__decision="accept").count()
    assert accepted > 3 and entry.new == {"items": accepted}
    assert entry.actor == assigned_appraiser
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.IN_APPRAISAL
    html = client.get(reverse("assessments:queue")).content.decode()
    assert "Chấp nhận tất cả nội dung còn lại" not in html  # nothing left to accept
    assert services.accept_remaining(assessment=submitted, by=assigned_appraiser) == 0


def test_the_council_table_shows_its_units_a_page_at_a_time(
    client, submitted, other_assessment, council, monkeypatch
):
    from parindex.assessments.views import council as views

    monkeypatch.setattr(views, "COUNCIL_PAGE", 1)
    client.force_login(council)
    url = reverse("assessments:council", args=[submitted.round_id])
    pages = [client.get(url, {"page": page}) for page in ("1", "2")]
    shown = [
        [row.assessment.pk for _group, rows in page.context["groups"] for row in rows]
        for page in pages
    ]
    assert shown == [[submitted.pk], [other_assessment.pk]]  # by unit code: HOME, then OTHER
    for page in pages:  # each group's header still counts every unit of its type
        ((group, _rows),) = page.context["groups"]
        assert len(group.rows) == 2
    assert "page=2" in pages[0].content.decode()


def test_the_council_table_scores_the_units_it_shows_and_every_unit_to_sort_by_index(
    client, appraised, other_assessment, council, monkeypatch
):
    """A page scores its own units only (a national round's 3,500 took 2.6 s a page); sorting
    by index scores them all, and each row shows the council summary's figures either way."""
    from parindex.assessments import pages
    from parindex.assessments.views import council as views

    expected = {row.assessment.pk: row for row in pages.council_summary(appraised.round)}
    monkeypatch.setattr(views, "COUNCIL_PAGE", 1)
    client.force_login(council)
    url = reverse("assessments:council", args=[appraised.round_id])
    highest = max(row.final_percent for row in expected.values())
    for sort in ("unit", "-percent"):
        shown = []
        for page in ("1", "2"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"sort": sort, "page": page})
            ((_group, (row,)),) = response.context["groups"]
            shown.append(row)
            wanted = expected[row.assessment.pk]
            assert (row.self_points, row.final_points, row.final_percent, row.adjusted) == (
                wanted.self_points,
                wanted.final_points,
                wanted.final_percent,
                wanted.adjusted,
            )
            reads = [  # the reads of the units' values
                q["sql"] for q in queries.captured_queries if 'FROM "assessments_item"' in q["sql"]
            ]
            assert f"IN ({row.assessment.pk})" in reads[-1]  # the shown unit's, to score it
            # sorted by index, the first page also reads every unit's; the next pages take
            # the percents it kept for the data revision
            assert len(reads) == (2 if (sort, page) == ("-percent", "1") else 1)
        assert {row.assessment.pk for row in shown} == set(expected)
        if sort == "-percent":
            assert shown[0].final_percent == highest


def test_the_council_table_sorted_by_index_follows_a_change_of_scores(
    client, appraised, other_assessment, other_editor, council, monkeypatch
):
    """The percents kept for sorting are those of the data as it is: a unit that self-assesses
    above the appraised unit goes to the top of the next page read."""
    from parindex.assessments.views import council as views

    monkeypatch.setattr(views, "COUNCIL_PAGE", 1)
    client.force_login(council)
    url = reverse("assessments:council", args=[appraised.round_id])

    def top():
        response = client.get(url, {"sort": "-percent"})
        ((_group, (row,)),) = response.context["groups"]
        return row.assessment.pk

    assert top() == appraised.pk
    fill(other_assessment, other_editor)  # 1.2 at 9/10, where the appraiser gave 7/10
    assert top() == other_assessment.pk


def test_council_groups_by_unit_type_and_approves_ticked_units_at_once(
    client, submitted, other_assessment, assigned_appraiser, council
):
    services.accept_remaining(assessment=submitted, by=assigned_appraiser)
    services.finalise(assessment=submitted, by=assigned_appraiser)
    client.force_login(council)
    url = reverse("assessments:council", args=[submitted.round_id])
    html = client.get(url, {"sort": "-percent"}).content.decode()
    assert 'scope="rowgroup"' in html and submitted.unit.unit_type.name in html
    assert 'form="approve-many"' in html and "data-confirm" in html
    assert reverse("assessments:council_minutes_docx", args=[submitted.round_id]) in html
    approve = reverse("assessments:approve_many", args=[submitted.round_id])
    client.post(approve, {"assessment": [submitted.pk, other_assessment.pk]})
    assert not Assessment.objects.filter(approved_at__isnull=False).exists()  # all or none
    client.post(approve, {"assessment": [submitted.pk]})
    assert Assessment.objects.get(pk=submitted.pk).approved_by == council
    with refuses("council.not_finalised") as refused:
        services.approve_many(assessments=[other_assessment], by=council)
    assert other_assessment.unit.name in str(refused.value)
