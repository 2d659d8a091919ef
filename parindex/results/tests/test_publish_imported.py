"""A past year migrated from spreadsheets, from the command line alone: `round create`,
`scores import`, `round finalise --reason --by`, `publish`, `verify`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from parindex.assessments.tests.fixtures import *  # noqa: F403
from parindex.results.models import Snapshot
from parindex.rounds.models import Round

pytestmark = pytest.mark.django_db

SCORES = """unit_code,criterion_code,stage,points,note
HOME,1.1,self,1,
HOME,1.2,self,2,
HOME,2.1,self,1.5,
OTHER,1.1,self,0.5,
OTHER,1.2,appraised,1,
"""


def test_an_imported_round_is_finalised_and_published_from_the_command_line(
    tmp_path, round_, par_officer
):
    path = tmp_path / "scores.csv"
    path.write_text(SCORES, encoding="utf-8")
    call_command("import_scores", round_.code, str(path), stdout=io.StringIO())
    call_command(
        "finalise_round",
        round_.code,
        "--reason",
        "Nhập từ bảng tính năm 2024",
        "--by",
        par_officer.username,
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("publish_round", round_.code, stdout=out)
    snapshot = Snapshot.objects.get(round=round_)
    assert out.getvalue().splitlines()[0] == snapshot.sha256
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED
    call_command("verify_round", round_.code, stdout=io.StringIO())
