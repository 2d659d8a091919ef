"""An item's history and the audit log tell what happened in sentences with people's names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex import engine
from parindex.assessments import services
from parindex.assessments.tests.test_services import fill, item
from parindex.core import history
from parindex.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjusted(assessment, unit_editor, unit_head, assigned_appraiser):
    assigned_appraiser.full_name = "Nguyễn Văn A"
    assigned_appraiser.save()
    fill(assessment, unit_editor)
    services.submit(assessment=assessment, by=unit_head)
    current = item(assessment, "1.2")
    services.decide(
        item=current,
        by=assigned_appraiser,
        version=current.version,
        decision="adjust",
        answer=engine.Ratio(7, 10),
        reason="chỉ 7/10 nhiệm vụ hoàn thành",
    )
    return current


def test_an_adjustment_reads_like_the_appraisers_own_words(adjusted):
    (line,) = history.describe(AuditEntry.objects.filter(action="item.appraised_1"))
    assert line.text == (
        "Nguyễn Văn A thẩm định tiêu chí 1.2 của Sở Nhà (CCHC-2024): điều chỉnh từ 9/10 "
        "thành 7/10; lý do: chỉ 7/10 nhiệm vụ hoàn thành"
    )


def test_the_item_history_page_and_the_audit_log_show_sentences(
    client, adjusted, assigned_appraiser, par_officer
):
    client.force_login(assigned_appraiser)
    html = client.get(reverse("assessments:item_history", args=[adjusted.pk])).content.decode()
    assert "Nguyễn Văn A thẩm định tiêu chí 1.2" in html
    assert "item.appraised_1" not in html and "{&#x27;" not in html
    client.force_login(par_officer)
    html = client.get(reverse("core:audit")).content.decode()
    assert "Nguyễn Văn A thẩm định tiêu chí 1.2 của Sở Nhà" in html
    assert "nộp bản tự đánh giá của" in html  # the submission, by the unit head
    assert ">accounts.user<" not in html and "{&#x27;" not in html  # type names in words
