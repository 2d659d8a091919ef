"""Charts are PNG images drawn without a display, with Vietnamese labels."""

from __future__ import annotations

from decimal import Decimal as D

from parindex.documents.charts import Series, bar_chart_png, line_chart_png

PNG = b"\x89PNG\r\n\x1a\n"


def test_bar_chart_is_a_png_with_several_series_and_missing_values():
    png = bar_chart_png(
        categories=["1. Chỉ đạo, điều hành", "2. Thể chế"],
        series=[Series("Hà Tĩnh", [D("87.85"), None]), Series("Trung bình", [D("86.12"), D("85")])],
        title="Chỉ số thành phần",
        horizontal=True,
        limits=(70, 100),
    )
    assert png.startswith(PNG) and len(png) > 5_000


def test_line_chart_for_ranks_is_a_png():
    png = line_chart_png(
        categories=["2021", "2022", "2023"],
        series=[Series("Hà Tĩnh", [8, 28, 18])],
        invert=True,
        value_format=lambda v: f"{v}/63",
    )
    assert png.startswith(PNG)
