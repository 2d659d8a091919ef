"""The self-assessment, submission and appraisal workflow at the service level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from parindex import engine
from parindex.assessments import services
from parindex.assessments.models import Appraisal, Assessment, ExplanationRequest, Item
from parindex.assessments.tests.fixtures import TZ
from parindex.conftest import refuses
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def item(assessment, code) -> Item:
    return assessment.items.select_related("criterion", "assessment__round").get(
        criterion__code=code
    )


def fill(assessment, by, values=None):
    """Answer every self-assessed leaf and give each an explanation instead of evidence."""
    values = values or {
        "1.1": engine.Choice("Đúng hạn"),
        "1.2": engine.Ratio(9, 10),
        "1.3": engine.Count(1),
        "2.1": engine.NotApplicable(),
        "2.2": engine.Percent(D("50")),
        "B": D("0.5"),
    }
    for code, answer in values.items():
        current = item(assessment, code)
        services.save_self_item(
            item=current,
            by=by,
            version=current.version,
            answer=answer,
            note="",
            no_evidence_reason="Văn bản lưu tại bộ phận một cửa",
        )


def test_saving_a_value_stores_the_engine_points_and_audits(assessment, unit_editor):
    leaf = item(assessment, "1.2")
    services.save_self_item(
        item=leaf,
        by=unit_editor,
        version=0,
        answer=engine.Ratio(9, 10),
        note="",
        no_evidence_reason="",
    )
    leaf.refresh_from_db()
    assert leaf.self_answer == {"ratio": [9, 10]}
    assert leaf.self_points == D("1.00")
    assert leaf.version == 1
    assert AuditEntry.objects.filter(action="item.self_saved", actor=unit_editor).exists()


def test_a_value_the_rule_refuses_raises_the_engine_error(assessment, unit_editor):
    leaf = item(assessment, "2.1")
    with pytest.raises(engine.EngineError, check=lambda error: error.code == "off_step"):
        services.save_self_item(
            item=leaf, by=unit_editor, version=0, answer=D("0.3"), note="", no_evidence_reason=""
        )


def test_second_save_from_a_stale_version_is_a_conflict(assessment, unit_editor, unit_head):
    first = item(assessment, "1.1")
    second = item(assessment, "1.1")
    services.save_self_item(
        item=first,
        by=unit_editor,
        version=0,
        answer=engine.Choice("Chậm"),
        note="",
        no_evidence_reason="",
    )
    with pytest.raises(services.Conflict, match=r"changed \(version 1\)") as conflict:
        services.save_self_item(
            item=second,
            by=unit_head,
            version=0,
            answer=engine.Choice("Đúng hạn"),
            note="",
            no_evidence_reason="",
        )
    assert conflict.value.item.self_answer == {"choice": "Chậm"}
    assert conflict.value.item.self_by == unit_editor
    assert item(assessment, "1.1").self_answer == {"choice": "Chậm"}


def test_submission_lists_every_gap(assessment, unit_head):
    with refuses("assessment.incomplete", services.Incomplete) as incomplete:
        services.submit(assessment=assessment, by=unit_head)
    codes = {gap.code for gap in incomplete.value.gaps}
    assert codes == {"1.1", "1.2", "1.3", "2.1", "2.2", "B"}


def test_complete_self_assessment_is_submitted_then_withdrawn(assessment, unit_editor, unit_head):
    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    assert assessment.status == Assessment.Status.SUBMITTED
    with refuses("assessment.submitted") as refused:
        fill(assessment, unit_editor)
    assert "31/12/2024" in str(refused.value)
    services.withdraw(assessment=assessment, by=unit_head)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_after_the_deadline_the_lock_says_the_phase_closed(assessment, unit_editor, clock):
    clock.move_to(dt.datetime(2025, 1, 1, 0, 5, tzinfo=TZ))
    with refuses("assessment.phase_closed") as refused:
        fill(assessment, unit_editor)
    assert "31/12/2024" in str(refused.value)


def test_full_appraisal_cycle(assessment, unit_editor, unit_head, assigned_appraiser, council):
    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    for code in ("1.1", "1.3", "2.1", "2.2", "B"):
        leaf = item(assessment, code)
        services.decide(item=leaf, by=assigned_appraiser, version=leaf.version, decision="accept")
    leaf = item(assessment, "1.2")
    services.decide(
        item=leaf,
        by=assigned_appraiser,
        version=leaf.version,
        decision="request",
        question="Bổ sung bảng theo dõi nhiệm vụ",
    )
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.IN_APPRAISAL
    services.return_to_unit(assessment=assessment, by=assigned_appraiser)
    request = ExplanationRequest.objects.get(item__assessment=assessment)
    services.answer_request(request=request, by=unit_editor, answer="Đã bổ sung")
    services.send_explanations(assessment=assessment, by=unit_head)
    leaf = item(assessment, "1.2")
    services.decide(
        item=leaf,
        by=assigned_appraiser,
        version=leaf.version,
        decision="adjust",
        answer=engine.Ratio(8, 10),
        reason="Chỉ 8/10 nhiệm vụ hoàn thành đúng hạn",
    )
    services.finalise(assessment=assessment, by=assigned_appraiser)
    services.approve(assessment=assessment, by=council)
    leaf = item(assessment, "1.2")
    assert leaf.appraised_points == D("1.00")
    assert Appraisal.objects.filter(item=leaf).count() == 2
    final = Assessment.objects.get(pk=assessment.pk)
    assert final.status == Assessment.Status.FINALISED
    assert final.approved_by == council
