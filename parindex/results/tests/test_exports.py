"""Exports and commands: the CSV machine format, JSON, the PDF report, publish and verify."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from parindex.documents.blocks import Chart
from parindex.results import computing, documents, exports, queries, services
from parindex.results.models import Snapshot

pytestmark = pytest.mark.django_db


def test_csv_is_in_the_machine_format_with_empty_not_applicable_areas(scored):
    data, name = documents.render(scored.previous, "csv", "SO")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == [
        "rank",
        "unit_code",
        "unit_name",
        "points",
        "max_points",
        "index_percent",
        "band",
        "area_1_percent",
        "area_2_percent",
        "area_3_percent",
    ]
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["HOME"] == [
        "4",
        "HOME",
        "Sở Nhà",
        "16.50",
        "20.00",
        "82.50",
        "KHA",
        "70.00",
        "100.00",
        "80.00",
    ]
    assert by_code["STP"][4:] == ["15.00", "100.00", "TOT", "100.00", "", "100.00"]
    assert name == "ket-qua-R2024-SO.csv"


def test_exported_cells_that_look_like_formulas_are_neutralised():
    text = exports.csv_text(iter([["=1+1", "+x", "-2", "@a", "ok"]]))
    assert text.strip() == "'=1+1,'+x,'-2,'@a,ok"


def test_json_export_names_the_snapshot_and_marks_previews(scored):
    published = json.loads(documents.render(scored.previous, "json")[0])
    assert published["sha256"] == scored.snapshot.sha256 and not published["provisional"]
    preview = json.loads(documents.render(scored.current, "json")[0])
    assert preview["provisional"] and preview["sha256"] is None
    assert preview["unit_types"][0]["units"][0]["index_percent"] == "100.00"


def test_pdf_report_has_the_figures_and_vietnamese_text(scored):
    data, _name = documents.render(scored.previous, "pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    text = "\n".join(pages)
    assert "Kết quả Chỉ số cải cách hành chính năm 2024" in text
    assert "Sở Nhà" in text and "82,50" in text and "Khá" in text
    assert "PHỤ LỤC" in text and "Mức độ hoàn thành kế hoạch" in text


def test_pdf_report_has_the_national_header_and_signs_before_its_appendix(scored, letterhead):
    data, _name = documents.render(scored.previous, "pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    first = pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "UBND TỈNH HÀ THANH" in first and "SỞ NỘI VỤ" in first and "/BC-SNV" in first
    assert "Hà Thanh, ngày" in first
    closing = next(i for i, text in enumerate(pages) if "Nơi nhận:" in text)
    appendix = next(i for i, text in enumerate(pages) if "PHỤ LỤC" in text)
    assert closing < appendix and "GIÁM ĐỐC" in pages[closing]


def test_pdf_of_a_preview_says_provisional(scored):
    data, name = documents.render(scored.current, "pdf")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "TẠM TÍNH" in text and name.endswith("-tam-tinh.pdf")


def test_results_command_writes_csv_and_json(scored, capsysbinary):
    call_command("export_results", "R2024", "--format", "csv", "--unit-type", "SO")
    assert capsysbinary.readouterr().out.decode().startswith("rank,unit_code,unit_name")
    call_command("export_results", "R2024", "--format", "json")
    assert json.loads(capsysbinary.readouterr().out)["round"] == "R2024"


def test_publish_command_prints_the_sha_and_verify_passes(scored, capsys):
    from parindex.rounds.models import Round

    Round.objects.filter(pk=scored.current.pk).update(status=Round.Status.FINALISED)
    call_command("publish_round", "R2025")
    sha, seal = capsys.readouterr().out.strip().splitlines()
    snapshot = Snapshot.objects.get(round=scored.current)
    assert sha == snapshot.sha256
    assert seal == f"HMAC-SHA256: {services.seal_of(snapshot)}"
    call_command("verify_round", "R2025")
    assert "OK R2025" in capsys.readouterr().out


def test_verify_command_fails_loudly_on_a_tampered_snapshot(scored, capsys):
    outputs = json.loads(scored.snapshot.outputs)
    outputs["unit_types"][0]["units"][1]["rank"] = 9
    Snapshot.objects.filter(pk=scored.snapshot.pk).update(outputs=computing.canonical_json(outputs))
    queries.forget_results(scored.previous)
    with pytest.raises(CommandError, match="KHÔNG khớp"):
        call_command("verify_round", "R2024")
    assert "rank" in capsys.readouterr().err


def test_xlsx_has_the_ranking_lost_points_and_a_sheet_per_unit(scored):
    from openpyxl import load_workbook

    data, name = documents.render(scored.previous, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:2] == ["Xếp hạng SO", "Điểm bị mất SO"]
    assert {"HOME", "OTHER", "STP", "STC"} <= set(workbook.sheetnames)
    ranking = workbook["Xếp hạng SO"]
    assert [cell.value for cell in ranking[1]][:7] == [
        "Xếp hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Điểm đạt",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp loại",
    ]
    home = next(row for row in ranking.iter_rows(min_row=2, values_only=True) if row[1] == "HOME")
    assert home[:7] == (4, "HOME", "Sở Nhà", 16.5, 20, 82.5, "Khá")
    assert ranking.freeze_panes == "A2"
    assert str(ranking.page_setup.paperSize) == ranking.PAPERSIZE_A4
    assert ranking["F2"].number_format == "0.00"
    unit = workbook["HOME"]
    reasons = [row[7] for row in unit.iter_rows(min_row=2, values_only=True)]
    assert "Chưa có báo cáo kết quả thực hiện kế hoạch" in reasons
    lost = workbook["Điểm bị mất SO"]
    assert lost["A2"].value == "1" and lost["D2"].value == 2.5  # HOME 1.5 + STC 1


def test_xlsx_of_a_preview_says_provisional_on_every_sheet(scored):
    from openpyxl import load_workbook

    data, name = documents.render(scored.current, "xlsx")
    assert all(title.startswith("TẠM TÍNH") for title in load_workbook(io.BytesIO(data)).sheetnames)
    assert name.endswith("-tam-tinh.xlsx")


def test_docx_report_is_in_the_administrative_format_with_tables_and_a_chart(scored):
    from docx import Document

    data, name = documents.render(scored.previous, "docx")
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "BÁO CÁO" in text and "Kết quả Chỉ số cải cách hành chính năm 2024" in text
    assert "PHỤ LỤC: PHÂN TÍCH ĐIỂM BỊ MẤT THEO LĨNH VỰC VÀ TIÊU CHÍ" in text
    assert "Sở Nhà" in cells and "82,50" in cells and "Khá" in cells
    assert "Mức độ hoàn thành kế hoạch" in cells
    assert document.inline_shapes, "the ranking chart is embedded"
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert name == "bao-cao-ket-qua-R2024.docx"


def test_draft_decision_announces_the_results(scored):
    from docx import Document

    data, name = documents.render(scored.previous, "decision")
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "QUYẾT ĐỊNH" in text
    assert "Về việc công bố Chỉ số cải cách hành chính năm 2024" in text
    assert "Điều 1." in text and "Số:      /QĐ-UBND" in cells
    assert "Sở Tài chính" in cells and "97,50" in cells


def _body(document):
    """The body in order: paragraph texts, and each table as its cells' text joined."""
    from docx.oxml.ns import qn

    return [
        "".join(t.text or "" for t in element.iter(qn("w:t")))
        for element in document.element.body
        if element.tag in (qn("w:p"), qn("w:tbl"))
    ]


def test_draft_decision_is_the_chairmans_signed_before_its_appendix(scored, letterhead):
    from docx import Document

    data, _name = documents.render(scored.previous, "decision")
    document = Document(io.BytesIO(data))
    header = [p.text for c in document.tables[0].rows[0].cells for p in c.paragraphs if p.text]
    assert header[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ THANH"]
    assert "Độc lập - Tự do - Hạnh phúc" in header
    date = next(line for line in header if line.startswith("Hà Thanh, ngày"))
    assert date.split() == ["Hà", "Thanh,", "ngày", "tháng", "năm", str(dt_year())]
    body = _body(document)
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ THANH" in body
    closing = next(i for i, text in enumerate(body) if text.startswith("Nơi nhận:"))
    appendix = body.index("PHỤ LỤC")
    assert closing < appendix
    assert "KT. CHỦ TỊCHPHÓ CHỦ TỊCH" in body[closing] and "Trần Văn Bình" in body[closing]
    assert "TM." not in body[closing], "the chairman issues it: no TM. of the collective body"
    assert any("Kèm theo Quyết định số" in text and "tỉnh Hà Thanh" in text for text in body)
    assert "Sở Tài chính" in "".join(body[appendix:])


def test_draft_decision_signed_by_the_chairman_has_no_kt(scored, letterhead):
    from dataclasses import replace

    from docx import Document

    from parindex.core.services import set_letterhead

    set_letterhead(by=None, letterhead=replace(letterhead, decision_signer_title="Chủ tịch"))
    data, _name = documents.render(scored.previous, "decision")
    closing = next(t for t in _body(Document(io.BytesIO(data))) if t.startswith("Nơi nhận:"))
    assert "CHỦ TỊCHTrần Văn Bình" in closing and "KT." not in closing


def dt_year():
    from django.utils import timezone

    return timezone.localdate().year


@pytest.fixture
def letterhead():
    from parindex.core.queries import LetterheadSettings
    from parindex.core.services import set_letterhead

    settings = LetterheadSettings(province="Hà Thanh", decision_signer_name="Trần Văn Bình")
    set_letterhead(by=None, letterhead=settings)
    return settings


def test_a_large_round_charts_the_areas_averages_instead_of_every_unit(par_officer):
    from parindex.results.tests.factories import SMALL_SET, enrol, make_round, store_index_set
    from parindex.units.tests.factories import UnitFactory, unit_type

    index_set = store_index_set(SMALL_SET)
    units = UnitFactory.create_batch(documents.CHART_UNITS + 1, unit_type=unit_type("SO"))
    round_ = make_round("BIG", 2025, [index_set])
    enrol(round_, index_set, {unit: {"1.2": 2, "3.1": {"percent": "90"}} for unit in units})
    body, _appendix = documents.report_blocks(queries.round_results(round_))
    charts = [block for block in body if isinstance(block, Chart)]
    assert "lĩnh vực" in charts[0].caption
    assert [str(v) for v in charts[0].values] == ["40.00", "0.00", "90.00"]


def test_results_command_refuses_xlsx_to_the_terminal_before_building_anything(scored, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the workbook was built before the refusal")

    monkeypatch.setattr(queries, "round_results", must_not_run)
    with pytest.raises(CommandError, match="-o TỆP"):
        call_command("export_results", "R2024", "--format", "xlsx")


def test_results_command_streams_xlsx_to_a_file_with_unit_sheets_only_when_asked(
    scored, tmp_path, monkeypatch
):
    from openpyxl import load_workbook

    from parindex.results import workbook

    path = tmp_path / "ket-qua.xlsx"
    call_command("export_results", "R2024", "--format", "xlsx", "-o", str(path))
    assert {"HOME", "STP"} <= set(load_workbook(path).sheetnames)  # a few units: all of them
    monkeypatch.setattr(workbook, "UNIT_SHEETS_UP_TO", 1)  # as a national round
    call_command("export_results", "R2024", "--format", "xlsx", "-o", str(path))
    names = load_workbook(path).sheetnames
    assert names == ["Xếp hạng SO", "Điểm bị mất SO"]
    call_command("export_results", "R2024", "--format", "xlsx", "-o", str(path), "--unit-sheets")
    assert {"HOME", "STP"} <= set(load_workbook(path).sheetnames)
    with pytest.raises(CommandError, match="NOPE"):
        call_command(
            "export_results", "R2024", "--format", "xlsx", "-o", str(path), "--unit-type", "NOPE"
        )


def test_workbook_of_a_reader_limited_to_one_unit_has_that_units_sheet_only(scored, monkeypatch):
    from openpyxl import load_workbook

    from parindex.results import workbook

    monkeypatch.setattr(workbook, "UNIT_SHEETS_UP_TO", 1)
    results = queries.round_results(scored.previous)
    scope = documents.Scope(unit_codes=frozenset({"HOME"}), sees_analysis=False)
    names = load_workbook(io.BytesIO(workbook.results_xlsx(results, "", scope))).sheetnames
    assert names == ["Xếp hạng SO", "HOME"]
    none = workbook.results_xlsx(results, "", scope, unit_sheets=False)
    assert load_workbook(io.BytesIO(none)).sheetnames == ["Xếp hạng SO"]
