"""`parindex national report`: ranks and changes as an independent computation finds them
(ties included), the memo's opening paragraph in Markdown and DOCX, and the appendix."""

from __future__ import annotations

import json
import random
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from parindex.national.models import AppraisedCriterion, Province

pytestmark = pytest.mark.django_db

AREAS = ["1", "2", "3"]


def independent_rank(values: dict[str, D], name: str) -> int:
    """Competition rank counted the plain way: one more than the number of better values."""
    return 1 + sum(1 for value in values.values() if value > values[name])


def build_tables(tmp_path):
    """Two years for the 63 provinces with ties; Hà Tĩnh 88.47 rank 8 → 85.95 rank 28;
    Cà Mau has no row in 2021. Returns the files and the values by year."""
    rng = random.Random(7)
    names = sorted(Province.objects.values_list("name", flat=True))
    values: dict[int, dict[str, dict[str, D]]] = {}
    for year in (2021, 2022):
        rows = {}
        for name in names:
            if year == 2021 and name == "Cà Mau":
                continue
            index = D(rng.randrange(7800, 9300)) / 100
            rows[name] = {"index": index, **{c: D(rng.randrange(70, 100)) for c in AREAS}}
        values[year] = rows
    for year, (target, rank) in {2021: (D("88.47"), 8), 2022: (D("85.95"), 28)}.items():
        rows = values[year]
        others = [n for n in rows if n != "Hà Tĩnh"]
        ordered = sorted(others, key=lambda n: -rows[n]["index"])
        for position, name in enumerate(ordered):  # exactly rank-1 provinces above Hà Tĩnh
            if position < rank - 1:
                rows[name]["index"] = max(rows[name]["index"], target + D("0.01") * (position + 1))
            else:
                rows[name]["index"] = min(
                    rows[name]["index"], target - D("0.01") * (position % 7 + 1)
                )
        rows["Hà Tĩnh"]["index"] = target
        # ties: two provinces share a value above and three below Hà Tĩnh
        rows[ordered[2]]["index"] = rows[ordered[3]]["index"]
        for name in ordered[40:43]:
            rows[name]["index"] = D("82.10")
        rows[ordered[5]]["1"] = rows["Hà Tĩnh"]["1"]
    files = []
    for year, rows in values.items():
        path = tmp_path / f"national-{year}.csv"
        lines = ["year,province,index_percent," + ",".join(f"area_{c}" for c in AREAS)]
        for name, row in rows.items():
            spelled = {"Huế": "Thừa Thiên Huế", "TP. Hồ Chí Minh": "Thành phố Hồ Chí Minh"}
            lines.append(
                ",".join(
                    [str(year), spelled.get(name, name), str(row["index"])]
                    + [str(row[c]) for c in AREAS]
                )
            )
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files, values


@pytest.fixture
def imported(tmp_path):
    files, values = build_tables(tmp_path)
    for path in files:
        call_command("import_national", str(path), stdout=StringIO())
    return values


def report_json(province: str, year: int) -> dict:
    out = StringIO()
    call_command("national_report", province=province, year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_json_keys_are_exactly_those_of_the_design(imported):
    report = report_json("Hà Tĩnh", 2022)
    assert list(report) == [
        "province", "year", "index_percent", "rank", "of", "previous_rank", "rank_change", "areas",
    ]  # fmt: skip
    assert list(report["areas"][0]) == [
        "code", "name", "percent", "rank", "previous_rank", "rank_change",
    ]  # fmt: skip
    assert report["index_percent"] == 85.95 and isinstance(report["index_percent"], float)
    assert (report["rank"], report["of"], report["previous_rank"], report["rank_change"]) == (
        28, 63, 8, -20,
    )  # fmt: skip


def test_every_province_matches_an_independent_computation(imported):
    current = {n: row["index"] for n, row in imported[2022].items()}
    previous = {n: row["index"] for n, row in imported[2021].items()}
    assert len(set(current.values())) < len(current)  # the tables have ties
    for name in current:
        report = report_json(name, 2022)
        rank = independent_rank(current, name)
        previous_rank = independent_rank(previous, name) if name in previous else None
        assert report["rank"] == rank, name
        assert report["previous_rank"] == previous_rank, name
        assert report["rank_change"] == (None if previous_rank is None else previous_rank - rank)
        for area in report["areas"]:
            code = area["code"]
            area_now = {n: row[code] for n, row in imported[2022].items()}
            area_before = {n: row[code] for n, row in imported[2021].items()}
            assert area["rank"] == independent_rank(area_now, name)
            expected_before = independent_rank(area_before, name) if name in previous else None
            assert area["previous_rank"] == expected_before
            assert D(str(area["percent"])) == area_now[name]


def test_a_province_missing_in_the_previous_year_has_no_change(imported):
    report = report_json("Cà Mau", 2022)
    assert report["previous_rank"] is None and report["rank_change"] is None
    out = StringIO()
    call_command("national_report", province="Cà Mau", year=2022, format="md", stdout=out)
    assert "(không có số liệu năm 2021 để so sánh)" in out.getvalue()


def test_markdown_reads_like_the_memo_opening(imported):
    out = StringIO()
    call_command("national_report", province="Hà Tĩnh", year=2022, format="md", stdout=out)
    text = out.getvalue()
    assert text.startswith(
        "# Phân tích kết quả Chỉ số cải cách hành chính năm 2022 của tỉnh Hà Tĩnh"
    )
    assert (
        "Chỉ số cải cách hành chính (PAR Index) năm 2022 của tỉnh Hà Tĩnh đạt 85,95%, xếp thứ "
        "28/63 tỉnh, thành phố, giảm 20 bậc so với năm 2021; trong đó các lĩnh vực"
    ) in text
    assert "So với năm 2021 (88,47%), Chỉ số giảm 2,52 điểm." in text
    assert "## Phụ lục: Các tiêu chí, tiêu chí thành phần không đạt điểm tối đa năm 2022" in text


def test_the_appendix_lists_the_criteria_short_of_their_maximum(imported, tmp_path):
    from parindex.national import services
    from parindex.national.importing import parse_appraised

    rows = parse_appraised(
        (
            "criterion_code,criterion_name,max_points,points,owner\n"
            "1.10,Sáng kiến cải cách hành chính,1,0.5,SNV\n"
            "1.2,Báo cáo cải cách hành chính,1,1,SNV\n"
            "1.9,Kiểm tra cải cách hành chính,2,1.25,Sở Nội vụ\n"
            "3.1,Công khai thủ tục hành chính,2,1.75,VPUBND\n"
        ).encode()
    )
    services.import_appraised(
        by=None, province=Province.objects.get(name="Hà Tĩnh"), year=2022, rows=rows
    )
    assert AppraisedCriterion.objects.count() == 4
    out = StringIO()
    call_command("national_report", province="Hà Tĩnh", year=2022, format="md", stdout=out)
    appendix = out.getvalue().split("## Phụ lục")[1]
    lines = [line for line in appendix.splitlines() if line.startswith("| ")]
    assert lines[1].startswith("| 1 | 1.9 | Kiểm tra cải cách hành chính | 2,00 | 1,25 | 0,75 |")
    assert lines[2].startswith("| 2 | 1.10 | Sáng kiến cải cách hành chính |")
    assert "1.2 |" not in appendix
    assert lines[-1].startswith("|  |  | Tổng cộng | 5,00 | 3,50 | 1,50 |")
    assert (
        "Có 3 tiêu chí, tiêu chí thành phần không đạt điểm tối đa, bị mất tổng cộng 1,5 điểm"
        in out.getvalue()
    )


def test_docx_report_is_an_administrative_document_with_the_figures(imported, tmp_path):
    path = tmp_path / "report.docx"
    call_command(
        "national_report",
        province="ha tinh",
        year=2022,
        format="docx",
        output=str(path),
        stdout=StringIO(),
    )
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "UBND TỈNH HÀ TĨNH" in left and "SỞ NỘI VỤ" in left and "Số:" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Hà Tĩnh, ngày" in right
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body
    assert "đạt 85,95%, xếp thứ 28/63 tỉnh, thành phố, giảm 20 bậc so với năm 2021" in body
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert sizes <= {13.0, 14.0}
    area_table = document.tables[1]
    assert area_table.rows[0].cells[1].text == "Lĩnh vực"
    assert len(document.inline_shapes) == 3  # the area chart and the two trend charts
    assert "Nơi nhận:" in document.tables[-1].rows[0].cells[0].text
    assert "Lưu: VT, CCHC." in document.tables[-1].rows[0].cells[0].text


def test_unknown_province_or_year_is_a_clear_command_error(imported):
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố nào tên “Hà Tây”"):
        call_command("national_report", province="Hà Tây", year=2022, stdout=StringIO())
    with pytest.raises(CommandError, match="Chưa có bảng xếp hạng năm 2019"):
        call_command("national_report", province="Hà Tĩnh", year=2019, stdout=StringIO())


def test_import_command_refuses_a_second_import_of_a_year_without_replace(imported, tmp_path):
    path = tmp_path / "national-2022.csv"
    with pytest.raises(CommandError, match="--replace"):
        call_command("import_national", str(path), stdout=StringIO())
    out = StringIO()
    call_command("import_national", str(path), "--replace", "--dry-run", stdout=out)
    assert "Chạy thử: chưa lưu dữ liệu nào." in out.getvalue()
    call_command("import_national", str(path), "--replace", stdout=StringIO())


def test_import_command_lists_problems_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year,province,index_percent\n2022,Hà Tây,80\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2: không có tỉnh, thành phố nào tên “Hà Tây”"):
        call_command("import_national", str(path), stdout=StringIO())
