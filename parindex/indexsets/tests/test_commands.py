"""`parindex indexset import|export` and the demo step."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from parindex.cli import translate
from parindex.indexsets import demo
from parindex.indexsets.models import Criterion, IndexSet
from parindex.indexsets.tests.factories import SAMPLES, SMALL_YAML, sample_bytes

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_cli_maps_indexset_import_and_export():
    assert translate(["indexset", "import", "x.yaml", "--draft"]) == [
        "import_index_set",
        "x.yaml",
        "--draft",
    ]
    assert translate(["indexset", "export", "SO-2024"])[0] == "export_index_set"


def test_import_prints_the_code_and_publishes():
    out, err = _run("import_index_set", str(SAMPLES / "so-2024.yaml"))
    assert out == "SO-2024\n"
    assert IndexSet.objects.get(code="SO-2024").is_published
    assert "created SO-2024 v1" in err


def test_import_draft_and_dry_run():
    _run("import_index_set", str(SAMPLES / "tw-2024.yaml"), "--dry-run")
    assert not IndexSet.objects.exists()
    _run("import_index_set", str(SAMPLES / "tw-2024.yaml"), "--draft")
    assert IndexSet.objects.get(code="TW-2024").is_draft


def test_import_errors_list_every_problem_and_exit_non_zero(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = SMALL_YAML.replace("max_points: 3", "max_points: 4").replace("points: 0.5", "points: 9")
    bad.write_text(text, "utf-8")
    err = io.StringIO()
    # the parindex command exits with status 1
    with pytest.raises(CommandError, match=r"problem\(s\); nothing was imported"):
        call_command("import_index_set", str(bad), stdout=io.StringIO(), stderr=err)
    err = err.getvalue()
    assert "criteria › 1 › max_points: max_points là 4" in err
    assert "criteria › 1 › 1.1 › rule › options › 2 › points: 9 điểm vượt quá" in err
    assert not IndexSet.objects.exists() and not Criterion.objects.exists()


def test_a_text_file_named_xlsx_fails_the_command(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", "utf-8")
    with pytest.raises(CommandError, match=r"^1 problem\(s\); nothing was imported"):
        _run("import_index_set", str(fake))
    assert not IndexSet.objects.exists()


def test_export_yaml_to_stdout_and_xlsx_to_a_file(tmp_path):
    _run("import_index_set", str(SAMPLES / "xa-2026.yaml"))
    out, _err = _run("export_index_set", "XA-2026", "--format", "yaml")
    assert out.encode() == sample_bytes("xa-2026.yaml")
    target = tmp_path / "xa.xlsx"
    _run("export_index_set", "XA-2026", "--format", "xlsx", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book["Thông tin chung"]["B2"].value == "XA-2026"
    out, _err = _run("import_index_set", str(target))
    assert out == "XA-2026\n" and IndexSet.objects.filter(code="XA-2026").count() == 1


def test_export_of_an_unknown_code_fails():
    with pytest.raises(CommandError, match="There is no index set NONE-2024"):
        _run("export_index_set", "NONE-2024")


def test_demo_loads_the_six_samples_published_and_is_safe_to_rerun():
    world = SimpleNamespace()
    demo.load(world)
    demo.load(world)
    codes = sorted(IndexSet.objects.values_list("code", flat=True))
    assert codes == ["HUYEN-2024", "SO-2024", "TINH-2024", "TW-2024", "XA-2024", "XA-2026"]
    assert all(index_set.is_published for index_set in world.index_sets.values())
