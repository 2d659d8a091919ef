"""Files through the shared table module: the questionnaire's XLSX form, response files, the
machine CSV, invitation lists and the SIPAS and PAPI files."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from parindex.conftest import refuses
from parindex.documents.tables import read_table
from parindex.documents.xlsx import Sheet, write_xlsx
from parindex.surveys import files, queries
from parindex.surveys.models import Invitation, PapiScore, Response, SipasRecord
from parindex.surveys.responsefile import response_rows
from parindex.surveys.services import responses
from parindex.surveys.spec import QuestionnaireRefused
from parindex.surveys.tests.factories import QUESTIONNAIRE_YAML, add_response, campaign, survey_set
from parindex.surveys.xlsxform import write_questionnaire_xlsx
from parindex.surveys.yamlform import dump_questionnaire
from parindex.units.tests.factories import UnitFactory, unit_type


@pytest.fixture
def run(db):
    survey_set()
    so = unit_type("SO")
    return campaign(
        units=[UnitFactory(code=c, name=f"Sở {c}", unit_type=so) for c in ("SNV", "STC")]
    )


def test_the_xlsx_form_round_trips_exactly(run):
    spec = queries.questionnaire_spec(run.questionnaire)
    data = write_questionnaire_xlsx(spec)
    assert files.read_questionnaire_file(data, "phieu.xlsx") == spec
    assert (
        dump_questionnaire(files.read_questionnaire_file(data, "phieu.xlsx")) == QUESTIONNAIRE_YAML
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Thông tin chung", "Phương án trả lời", "Nhóm đối tượng", "Câu hỏi"]


def _edited(data: bytes, sheet: str, cell: str, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "problem"),
    [
        (
            "Câu hỏi",
            "D3",
            "LDP; HDND",
            "trang Câu hỏi, dòng 3, cột Nhóm được hỏi: “HDND” không phải",
        ),
        (
            "Phương án trả lời",
            "D2",
            120,
            "trang Phương án trả lời, dòng 2, cột Tỷ lệ (%): phải từ 0 đến 100",
        ),
        ("Nhóm đối tượng", "C3", "0", "trang Nhóm đối tượng, dòng 3, cột Trọng số: phải lớn hơn 0"),
        ("Phương án trả lời", "A8", "Q9", "Trang Phương án trả lời, dòng 8: không có câu hỏi “Q9”"),
    ],
    ids=["unknown-group", "percent-above-100", "zero-weight", "options-of-no-question"],
)
def test_xlsx_problems_name_the_sheet_row_and_column(run, sheet, cell, value, problem):
    data = write_questionnaire_xlsx(queries.questionnaire_spec(run.questionnaire))
    with pytest.raises(QuestionnaireRefused, match=sheet) as refused:
        files.read_questionnaire_file(_edited(data, sheet, cell, value), "phieu.xlsx")
    assert any(line.startswith(problem) for line in refused.value.problems), refused.value.problems


def test_a_workbook_without_the_form_is_refused(db):
    data = write_xlsx([Sheet("Khác", [["a"], ["b"]])])
    with refuses("questionnaire_form.no_sheet") as refused:
        files.read_questionnaire_file(data, "x.xlsx")
    assert "“Thông tin chung”" in str(refused.value)


CSV = (
    "response_id,group,unit_code,question_code,answer\n"
    "R1,LDP,SNV,Q1,A\nR1,LDP,SNV,Q2,\nR2,DN,STC,Q3,K\n"
)


def test_response_files_in_csv_with_bom_semicolons_and_xlsx(run):
    semicolons = CSV.replace(",", ";").encode("utf-8-sig")
    stored = responses.import_responses(
        campaign=run, rows=response_rows(semicolons, "r.csv"), by=None
    )
    assert (stored.responses, stored.answers) == (2, 3)
    rows = [line.split(",") for line in CSV.replace("R1", "R3").replace("R2", "R4").splitlines()]
    workbook = write_xlsx([Sheet("Phiếu", rows)])
    assert (
        responses.import_responses(
            campaign=run, rows=response_rows(workbook, "r.xlsx"), by=None
        ).responses
        == 2
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"id,group\nR1,LDP\n", "survey_responses.bad_header"),
        (b"", "survey_responses.unreadable"),
        (b"PK\x03\x04broken", "survey_responses.unreadable"),
    ],
    ids=["wrong-header", "empty", "broken-workbook"],
)
def test_a_bad_response_file_is_refused_with_a_vietnamese_message(run, data, code):
    with refuses(code):
        responses.import_responses(
            campaign=run,
            rows=response_rows(data, "r.xlsx" if data[:2] == b"PK" else "r.csv"),
            by=None,
        )
    assert not Response.objects.exists()


def test_the_responses_command_imports_a_file_and_refuses_a_bad_one(run, tmp_path, capsys):
    good = tmp_path / "r.csv"
    good.write_text(CSV, "utf-8")
    call_command("import_survey_responses", "XHH-SO-T", str(good), "--dry-run")
    assert not Response.objects.exists()
    call_command("import_survey_responses", "XHH-SO-T", str(good), "--round", "CCHC-2025")
    assert Response.objects.count() == 2
    assert "2 responses, 3 answers" in capsys.readouterr().out
    with pytest.raises(CommandError, match="refused"):
        call_command("import_survey_responses", "XHH-SO-T", str(good))  # R1, R2 again
    assert "Dòng 2: phiếu R1 đã được nhập" in capsys.readouterr().err


def test_the_results_command_writes_the_machine_csv(run, tmp_path):
    add_response(
        run, run.round.assessments.get(unit__code="SNV").unit, "LDP", {"Q1": "A", "Q2": "C"}
    )
    out = tmp_path / "ket-qua.csv"
    call_command("survey_results", "XHH-SO-T", "--format", "csv", "-o", str(out))
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    table = read_table(data, "ket-qua.csv")
    assert table.header == ["unit_code", "criterion_code", "responses", "percent", "points"]
    assert table.rows[0].cells == ["SNV", "8.1", "2", "60.00", "2.40"]
    assert table.rows[1].cells == ["SNV", "8.2", "0", "", "0.00"]


def test_an_invitation_list_mails_each_person_a_link_and_prints_the_cards(client, run, par_officer):
    listing = "unit_code,group,name,email\nSNV,LDP,Nguyễn Văn A,a@example.vn\nSTC,DN,Trần B,\n"
    client.force_login(par_officer)
    response = client.post(
        reverse("surveys:campaign_invite", kwargs={"pk": run.pk}),
        {"list-file": io.BytesIO(listing.encode()), "list-dry_run": ""},
    )
    assert response["Content-Type"] == "application/pdf"
    assert Invitation.objects.count() == 2 and len(mail.outbox) == 1
    bad = "unit_code,group,name,email\nSXX,LDP,A,a@x\n"
    response = client.post(
        reverse("surveys:campaign_invite", kwargs={"pk": run.pk}),
        {"list-file": io.BytesIO(bad.encode())},
    )
    text = response.content.decode()
    assert "Dòng 2: đơn vị SXX không thuộc đợt điều tra này" in text
    assert "“a@x” không phải là địa chỉ thư điện tử" in text
    assert Invitation.objects.count() == 2


def test_sipas_and_papi_files_through_the_commands(run, tmp_path):
    sipas = tmp_path / "sipas.csv"
    sipas.write_text(
        "year,unit_code,aspect,factor,item,satisfied,answered\n"
        "2025,SNV,Dịch vụ hành chính công,Tiếp cận,Địa điểm,18,20\n",
        "utf-8",
    )
    call_command("import_sipas", str(sipas))
    assert SipasRecord.objects.get().satisfied == 18
    papi = tmp_path / "papi.xlsx"
    header = [
        "year",
        "province",
        "participation",
        "transparency",
        "accountability",
        "corruption",
        "procedures",
        "services",
        "environment",
        "e_governance",
        "total",
    ]
    papi.write_bytes(write_xlsx([Sheet("PAPI", [header, [2024, "Hà Tĩnh", *[5.5] * 8, None]])]))
    call_command("import_papi", str(papi))
    assert PapiScore.objects.get().total == 44
    with pytest.raises(CommandError, match="refused"):
        call_command("import_papi", str(sipas))
