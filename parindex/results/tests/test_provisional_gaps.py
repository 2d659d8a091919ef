"""A provisional ranking says what it still lacks and can leave out the units still drafting."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from parindex.assessments.models import Assessment, Item
from parindex.core import revisions
from parindex.results import pages
from parindex.results.analysis import RankingRow

pytestmark = pytest.mark.django_db


def row(code: str, index: str) -> RankingRow:
    return RankingRow(1, code, f"Sở {code}", "", D(index), D(100), D(index), "", "", [])


def test_leaving_out_drafts_ranks_the_others_again_with_ties():
    rows = [row("A", "90"), row("B", "80"), row("C", "80"), row("D", "70")]
    ranked = pages.without_drafts(rows, frozenset({"A"}))
    assert [(r.unit_code, r.rank) for r in ranked] == [("B", 1), ("C", 1), ("D", 3)]


def test_the_preview_names_units_not_submitted_and_survey_values_missing(
    client, scored, par_officer
):
    Assessment.objects.filter(round=scored.current, unit=scored.other).update(status="draft")
    Item.objects.filter(
        assessment__round=scored.current, assessment__unit=scored.tu_phap, criterion__code="3.1"
    ).update(survey_answer=None)
    client.force_login(par_officer)
    url = reverse("results:ranking", args=[scored.current.pk])
    html = client.get(url).content.decode()
    assert "Kết quả tạm tính này chưa đầy đủ" in html
    assert "chưa được nhập cho 1/4 đơn vị" in html
    assert "1 đơn vị chưa nộp bản tự đánh giá" in html and "Sở Khác" in html
    html = client.get(url, {"submitted": "1"}).content.decode()
    table = html[html.index('id="ranking-table"') :]
    assert "Sở Khác" not in table and "Sở Nhà" in table
    assert "các đơn vị còn lại được xếp hạng lại" in html


def test_published_results_have_no_gaps_note(client, scored, par_officer):
    client.force_login(par_officer)
    html = client.get(reverse("results:ranking", args=[scored.previous.pk])).content.decode()
    assert "chưa đầy đủ" not in html and 'name="submitted"' not in html


def test_the_gaps_are_kept_until_recorded_data_changes(scored):
    drafting = Assessment.objects.filter(round=scored.current, unit=scored.other)
    drafting.update(status=Assessment.Status.DRAFT)
    assert pages.provisional_gaps(scored.current, "SO").not_submitted == ["Sở Khác"]
    drafting.update(status=Assessment.Status.SUBMITTED)  # behind the application's back
    assert pages.provisional_gaps(scored.current, "SO").not_submitted == ["Sở Khác"]
    revisions.touch()  # what every audited change and every write to a round's scores does
    assert pages.provisional_gaps(scored.current, "SO").not_submitted == []
