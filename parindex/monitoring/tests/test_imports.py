"""Monitoring imports and commands: all or nothing, a Vietnamese problem per row, --dry-run,
non-zero exit on any problem, and the rates CSV."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command

from parindex.cli import main, translate
from parindex.core.models import AuditEntry
from parindex.documents.xlsx import Sheet, write_xlsx
from parindex.monitoring import services
from parindex.monitoring.models import Finding, Inspection, Plan, Progress, ReportType, Submission
from parindex.units.tests.factories import make_unit

D = dt.date

TASKS_CSV = """code,title,lead,coordinating,deadline,criterion_codes,product
1,Ban hành kế hoạch CCHC,SO,,2026-01-31,1.1.1,Kế hoạch
2,Rà soát văn bản,HOME;OTHER,HOME,31/03/2026,2.1;2.2,Báo cáo rà soát
"""


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("words", "command"),
    [
        (["plan", "import", "KH", "f.csv"], "import_plan"),
        (["tasks", "update", "KH", "f.csv"], "update_tasks"),
        (["reports", "types", "f.csv"], "import_report_types"),
        (["reports", "submissions", "f.csv"], "import_submissions"),
        (["inspections", "import", "f.csv"], "import_findings"),
        (["monitoring", "rates", "--year", "2026"], "monitoring_rates"),
    ],
    ids=["plan", "tasks", "report-types", "submissions", "findings", "rates"],
)
def test_the_cli_words_map_to_the_commands(words, command):
    assert translate(words)[0] == command


def test_a_plan_imports_from_csv_once_and_again_unchanged(
    tmp_path, home_unit, other_unit, clock, capsys
):
    path = _file(tmp_path, "kh.csv", TASKS_CSV)
    call_command("import_plan", "KH-2026", path, "--year", "2026", "--title", "Kế hoạch CCHC 2026")
    plan = Plan.objects.get(code="KH-2026")
    assert (plan.title, plan.status, plan.year) == ("Kế hoạch CCHC 2026", Plan.Status.DRAFT, 2026)
    second = plan.tasks.get(code="2")
    assert (second.lead, second.coordinating, second.deadline) == (
        ["HOME", "OTHER"],
        ["HOME"],
        D(2026, 3, 31),
    )
    assert second.criterion_codes == ["2.1", "2.2"]
    assert Progress.objects.filter(task__plan=plan).count() == 4
    assert "2 " in capsys.readouterr().out
    call_command("import_plan", "KH-2026", path, "--year", "2026")
    assert "0 " in capsys.readouterr().out.split(",")[0]


def test_a_plan_imports_from_xlsx(tmp_path, home_unit, clock):
    rows = [line.split(",") for line in TASKS_CSV.strip().splitlines()]
    rows[2][2] = "HOME"
    path = tmp_path / "kh.xlsx"
    path.write_bytes(write_xlsx([Sheet("Nhiệm vụ", rows)]))
    call_command("import_plan", "KH-X", str(path), "--year", "2026")
    assert Plan.objects.get(code="KH-X").tasks.count() == 2


def _refused_as(code):
    """A command's error raised for a refusal with this code."""
    return lambda error: getattr(error.__cause__, "code", None) == code


def _lines(raised):
    """(row, code) of each problem of the refusal behind a command's error."""
    refused = raised.value.__cause__
    rows = [int(re.match(r"\D*(\d+)", problem).group(1)) for problem in refused.problems]
    return list(zip(rows, refused.codes, strict=True))


def test_every_bad_row_is_reported_and_nothing_is_saved(tmp_path, home_unit, clock):
    text = """code,title,lead,coordinating,deadline,criterion_codes,product
1,Nhiệm vụ,NOPE,,2026-01-31,,
1,Nhiệm vụ trùng,HOME,,31/02/2026,,
2,,HOME,,,,
"""
    with pytest.raises(CommandError, check=_refused_as("monitoring_file.invalid")) as raised:
        call_command("import_plan", "KH-BAD", _file(tmp_path, "bad.csv", text), "--year", "2026")
    assert _lines(raised) == [
        (2, "task.unknown_codes"),
        (3, "monitoring_file.duplicate_row"),
        (3, "monitoring_file.bad_date"),
        (4, "monitoring_file.empty"),
    ]
    problems = raised.value.__cause__.problems
    assert "NOPE" in problems[0] and "31/02/2026" in problems[2] and "deadline" in problems[3]
    assert not Plan.objects.filter(code="KH-BAD").exists()
    assert not AuditEntry.objects.filter(action="plan.created").exists()


def test_a_dry_run_saves_nothing_and_says_so(tmp_path, home_unit, other_unit, clock, capsys):
    call_command(
        "import_plan", "KH-DRY", _file(tmp_path, "kh.csv", TASKS_CSV), "--year", "2026", "--dry-run"
    )
    assert not Plan.objects.filter(code="KH-DRY").exists()
    assert "2" in capsys.readouterr().out


def test_a_wrong_header_is_refused_with_the_expected_one(tmp_path, clock):
    with pytest.raises(
        CommandError, match="code,title,lead", check=_refused_as("monitoring_file.bad_header")
    ):
        call_command("import_plan", "KH", _file(tmp_path, "x.csv", "a,b\n1,2\n"), "--year", "2026")


def test_the_cli_exits_non_zero_on_a_refused_file(tmp_path, clock):
    assert main(["plan", "import", "KH", _file(tmp_path, "x.csv", "a\n1\n"), "--year", "2026"]) != 0


def test_progress_is_updated_by_the_office(tmp_path, plan, home_unit, other_unit, par_officer):
    text = """task_code,unit_code,status,completed_on,note
1,HOME,done,2026-06-01,Đã ban hành
1,OTHER,cancelled,,Đơn vị sáp nhập
"""
    call_command("update_tasks", plan.code, _file(tmp_path, "p.csv", text))
    rows = dict(Progress.objects.filter(task__plan=plan).values_list("unit__code", "status"))
    assert rows == {"HOME": "done", "OTHER": "cancelled"}
    home = Progress.objects.get(task__plan=plan, unit=home_unit)
    assert (home.completed_on, home.review) == (D(2026, 6, 1), Progress.Review.ACCEPTED)
    assert AuditEntry.objects.filter(action="progress.recorded").count() == 1


def test_bad_progress_rows_are_all_reported(tmp_path, plan, home_unit):
    text = """task_code,unit_code,status,completed_on,note
9,HOME,done,2026-06-01,
1,HOME,finished,,
1,OTHER,done,,
1,HOME,cancelled,,
"""
    with pytest.raises(CommandError, check=_refused_as("monitoring_file.invalid")) as raised:
        call_command("update_tasks", plan.code, _file(tmp_path, "p.csv", text))
    assert _lines(raised) == [
        (2, "monitoring_file.task_not_assigned"),
        (3, "monitoring_file.bad_status"),
        (4, "monitoring_file.no_completion_day"),
        (5, "monitoring_file.duplicate_row"),  # repeated, and no reason
        (5, "monitoring_file.no_cancel_reason"),
    ]
    assert "finished" in raised.value.__cause__.problems[1]
    assert Progress.objects.filter(task__plan=plan, status="not_started").count() == 2


def test_report_types_and_submissions_import(tmp_path, home_unit, other_unit, clock):
    types = """code,title,legal_basis,frequency,due_day,unit_types
BC-QUY,Báo cáo CCHC quý,Nghị định 09/2019/NĐ-CP,quarterly,15,SO
BC-NAM,Báo cáo CCHC năm,,yearly,20,SO;XA
"""
    call_command("import_report_types", _file(tmp_path, "t.csv", types))
    yearly = ReportType.objects.get(code="BC-NAM")
    assert (yearly.frequency, yearly.due_day) == ("yearly", 20)
    assert sorted(yearly.unit_types.values_list("code", flat=True)) == ["SO", "XA"]
    sent = """report_code,unit_code,period,submitted_on
BC-QUY,HOME,2026-Q1,2026-03-14
BC-QUY,OTHER,2026-Q1,20/03/2026
"""
    call_command("import_submissions", _file(tmp_path, "s.csv", sent))
    assert dict(Submission.objects.values_list("unit__code", "submitted_on")) == {
        "HOME": D(2026, 3, 14),
        "OTHER": D(2026, 3, 20),
    }
    bad = """report_code,unit_code,period,submitted_on
BC-QUY,HOME,2026-03,2026-03-14
NOPE,HOME,2026-Q1,2026-03-14
BC-QUY,HOME,2026-Q2,2027-01-01
"""
    with pytest.raises(CommandError, check=_refused_as("monitoring_file.invalid")) as raised:
        call_command("import_submissions", _file(tmp_path, "b.csv", bad))
    assert _lines(raised) == [
        (2, "report.period_invalid"),
        (3, "monitoring_file.unknown_report_type"),
        (4, "monitoring_file.day_in_future"),
    ]
    assert "NOPE" in raised.value.__cause__.problems[1]


def test_findings_import_creates_inspections_and_records_remedies(tmp_path, home_unit, clock):
    text = (
        ",".join(services.FINDINGS_HEADER)
        + """
KT-01,HOME,2026-04-02,1,Chưa niêm yết TTHC,3.1,2026-05-31,2026-05-20
KT-01,HOME,2026-04-02,2,Chưa số hóa hồ sơ,3.3,2026-06-30,
"""
    )
    call_command("import_findings", _file(tmp_path, "f.csv", text))
    inspection = Inspection.objects.get(code="KT-01")
    assert (inspection.unit, inspection.inspected_on) == (home_unit, D(2026, 4, 2))
    statuses = dict(Finding.objects.values_list("code", "status"))
    assert statuses == {"1": Finding.Status.REMEDIED, "2": Finding.Status.OPEN}
    clash = text.replace("KT-01,HOME,2026-04-02,2", "KT-01,HOME,2026-04-03,2")
    with pytest.raises(
        CommandError, match="KT-01", check=_refused_as("monitoring_file.invalid")
    ) as raised:
        call_command("import_findings", _file(tmp_path, "c.csv", clash))
    assert _lines(raised) == [(3, "monitoring_file.inspection_elsewhere")]


def test_the_rates_csv_has_the_design_columns(plan, home_unit, other_unit, capsysbinary):
    services.extend_progress(
        by=None, progress=Progress.objects.get(unit=other_unit), until=D(2027, 1, 31), reason="x"
    )
    call_command("monitoring_rates", "--year", "2026", "--as-of", "2026-12-31", "--format", "csv")
    assert capsysbinary.readouterr().out.decode() == (
        "unit_code,tasks_due,tasks_on_time,tasks_done,reports_due,reports_on_time,findings_due,"
        "findings_remedied\nHOME,1,0,0,0,0,0,0\nOTHER,0,0,0,0,0,0,0\n"
    )


def test_a_refused_import_of_a_new_report_type_changes_nothing(tmp_path, db):
    make_unit("X1", "XA")
    text = """code,title,legal_basis,frequency,due_day,unit_types
OK,Báo cáo,,monthly,10,XA
BAD,Báo cáo,,weekly,40,ZZ
"""
    with pytest.raises(
        CommandError, match=" 3:", check=_refused_as("monitoring_file.invalid")
    ) as raised:
        call_command("import_report_types", _file(tmp_path, "t.csv", text))
    assert _lines(raised) == [
        (3, "report_type.bad_frequency"),
        (3, "report_type.bad_due_day"),
        (3, "report_type.unknown_unit_types"),
    ]
    assert not ReportType.objects.exists()


def test_the_import_page_previews_then_applies_all_or_nothing(
    client, par_officer, home_unit, other_unit, clock
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(par_officer)
    url = reverse("monitoring:plan_import")
    upload = SimpleUploadedFile("kh.csv", TASKS_CSV.encode(), content_type="text/csv")
    preview = client.post(
        url, {"plan": "KH-WEB", "year": 2026, "title": "Kế hoạch", "file": upload}
    )
    assert preview.status_code == 200 and preview.context["result"].created == 2
    assert not Plan.objects.filter(code="KH-WEB").exists()
    applied = client.post(url, {"payload": preview.context["payload"]})
    plan = Plan.objects.get(code="KH-WEB")
    assert applied["Location"] == reverse("monitoring:plan_detail", args=[plan.pk])
    assert plan.tasks.count() == 2
    exported = client.get(reverse("monitoring:plan_export", args=[plan.pk]))
    assert exported.content.decode("utf-8-sig").splitlines()[0] == ",".join(services.TASKS_HEADER)
    bad = SimpleUploadedFile("bad.csv", b"code,title\n1,x\n", content_type="text/csv")
    refused = client.post(url, {"plan": "KH-WEB", "year": 2026, "file": bad})
    assert refused.context["problems"] and refused.context["payload"] is None


def test_the_rates_csv_download(client, viewer, plan):
    from django.urls import reverse

    client.force_login(viewer)
    response = client.get(reverse("monitoring:rates_csv"), {"year": 2026})
    assert response.content.decode().splitlines()[1:] == [
        "HOME,1,0,0,0,0,0,0",
        "OTHER,1,0,0,0,0,0,0",
    ]
