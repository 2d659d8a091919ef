"""`parindex round finalise ROUND --reason TEXT --by USERNAME`: a migrated round, closed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.assessments.models import Assessment
from parindex.assessments.tests.fixtures import *  # noqa: F403
from parindex.core.models import AuditEntry
from parindex.rounds.models import Round

pytestmark = pytest.mark.django_db


def finalise(*args):
    out = io.StringIO()
    call_command("finalise_round", "CCHC-2024", *args, stdout=out)
    return out.getvalue()


def test_the_office_finalises_an_imported_round_with_a_reason(round_, par_officer):
    out = finalise("--reason", "Biên bản Hội đồng ngày 10/01/2025", "--by", par_officer.username)
    assert "parindex publish CCHC-2024" in out
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALISED and round_.finalised_by == par_officer
    assessments = Assessment.objects.filter(round=round_)
    assert {a.status for a in assessments} == {Assessment.Status.FINALISED}
    assert all(a.approved_by == par_officer and a.approved_at for a in assessments)
    entry = AuditEntry.objects.get(action="round.finalised", object_id=str(round_.pk))
    assert entry.actor == par_officer
    assert entry.reason == "Biên bản Hội đồng ngày 10/01/2025"
    assert entry.new == {"status": "finalised", "imported": True, "approved": 2}
    with pytest.raises(
        CommandError, check=lambda error: error.__cause__.code == "round.not_finalisable"
    ):
        finalise("--reason", "lần hai", "--by", par_officer.username)


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [
        ("unit_editor", "lý do", "không được quản lý đợt đánh giá"),
        ("nobody", "lý do", "Không có tài khoản"),
        ("par_officer", "  ", "Hãy nêu lý do"),
    ],
)
def test_only_the_office_with_a_reason_finalises(request, round_, who, reason, message):
    username = "nobody" if who == "nobody" else request.getfixturevalue(who).username
    with pytest.raises(CommandError, match=message):
        finalise("--reason", reason, "--by", username)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert not Assessment.objects.filter(round=round_, status=Assessment.Status.FINALISED).exists()
