"""The spreadsheet the results benchmark compares publication with ranks as the engine does."""

from __future__ import annotations

import shutil

import pytest

from parindex.results import bench, queries

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_the_office_spreadsheet_recalculated_by_calc_ranks_as_the_engine(scored, tmp_path):
    results = queries.round_results(scored.current)
    workbook = tmp_path / "so-lieu.xlsx"
    ranks = bench._office_workbook(results, workbook)
    assert len(set(ranks.values())) < len(ranks)  # the world's tie is in the sheet

    _, recalculated = bench._calc(workbook, tmp_path)

    assert bench._ranks_agreeing(recalculated, ranks) == len(ranks)


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (152, "EV")])
def test_columns_are_named_as_a_spreadsheet_names_them(index, letters):
    assert bench._column(index) == letters
