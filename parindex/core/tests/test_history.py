"""The audit trail in sentences: every action in use reads as Vietnamese words with names."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from django.utils import translation

from parindex.core import audit, history, registry

SOURCE = Path(__file__).resolve().parents[2]
ACTION = re.compile(r"^[a-z_]+\.[a-z_0-9]+$")
RAW = re.compile(r"[{}\[\]]|accounts\.user|[a-z_]+\.[a-z_]+_[a-z_]+|'")


RECORDERS = {"record", "record_event", "_audit", "_end", "_replace_years"}


@functools.cache
def recording_modules() -> tuple[tuple[str, ast.Module], ...]:
    """The parsed modules that may record, by path (collection runs this, so only those are
    parsed)."""
    modules = []
    for path in SOURCE.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        text = path.read_text()
        if "action" in text or any(f"{name}(" in text for name in RECORDERS):
            modules.append((str(path.relative_to(SOURCE)), ast.parse(text)))
    return tuple(modules)


def is_recorder(node: ast.AST) -> bool:
    """A call of an audit function or of a helper that passes its values on."""
    return (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) in RECORDERS
    )


@functools.cache
def recorded_actions() -> frozenset[str]:
    """Every action name the code records: the string constants passed to the audit functions,
    to the helpers that pass them on, and the names chosen just before (`action = "a" if …`)."""
    found: set[str] = set()
    for _path, module in recording_modules():
        for node in ast.walk(module):
            if isinstance(node, ast.Call):
                if not is_recorder(node):
                    continue
                arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            elif isinstance(node, ast.Assign) and any(
                getattr(target, "id", "") == "action" for target in node.targets
            ):
                arguments = [node.value]
            else:
                continue
            for argument in arguments:
                for part in ast.walk(argument):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        if ACTION.match(part.value) and part.value.count(".") == 1:
                            found.add(part.value)
                    elif isinstance(part, ast.JoinedStr):
                        head = part.values[0]
                        if isinstance(head, ast.Constant) and isinstance(head.value, str):
                            found.add(head.value + "*")
    return frozenset(
        action for action in found if not action.startswith(("assessments.", "units."))
    )


def test_every_recorded_action_has_words():
    actions = recorded_actions()
    assert len(actions) > 100  # the scan finds the code's actions
    missing = sorted(
        action
        for action in actions
        if (history.find(action.rstrip("*") + ("x" if action.endswith("*") else "")) is None)
    )
    assert missing == []


SHAPES = [
    None,
    {"value": {"points": "1"}, "note": "", "no_evidence": ""},
    {"unit": "HOME", "title": "Kế hoạch", "until_on": "2026-12-31", "codes": ["1.1", "1.2"]},
    "submitted",
]


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(recorded_actions()))
def test_each_action_reads_as_a_sentence_with_names(action, par_officer):
    par_officer.full_name = "Nguyễn Văn A"
    par_officer.save()
    name = action.replace("*", "1")
    with translation.override("vi"):
        for old, new in zip(SHAPES, SHAPES[1:] + [None], strict=True):
            entry = audit.record_event(
                name,
                by=par_officer,
                object_type="rounds.round",
                object_id="1",
                object_repr="CCHC-2026",
                old=old,
                new=new,
                reason="thiếu tài liệu",
            )
            (line,) = history.describe([entry])
            assert line.text.startswith("Nguyễn Văn A "), line.text
            assert "lý do: thiếu tài liệu" in line.text
            assert not RAW.search(line.text), line.text
            assert name not in line.text


def test_the_registry_lists_families_after_exact_names():
    exact = registry.AuditAction(action="a.b_c", text="exact %(object)s")
    family = registry.AuditAction(action="a.b_*", text="family %(object)s")
    registry.audit_actions.add(family)
    registry.audit_actions.add(exact)
    try:
        assert history.find("a.b_c") is exact
        assert history.find("a.b_d") is family
        assert history.find("a.x") is None
    finally:
        del registry.audit_actions._entries["a.b_c"], registry.audit_actions._entries["a.b_*"]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (None, {"year": 2025, "rows": 1091}, "năm: 2025; số dòng: 1.091"),
        ({"valid_year": "2024"}, {"valid_year": "2025"}, "từ 2024 thành 2025"),
        (None, {"engine_version": "1.4"}, "phiên bản bộ tính điểm: 1.4"),
        ({"version": 1200}, {"version": 1201}, "từ 1200 thành 1201"),
    ],
    ids=["year-added", "year-changed", "dotted-version", "version-changed"],
)
def test_a_year_or_a_version_reads_as_a_name_not_a_quantity(old, new, words):
    with translation.override("vi"):
        assert words in history.changes(old, new)


def test_the_letterhead_settings_read_in_words():
    with translation.override("vi"):
        words = history.changes(
            {"parent_agency": "", "decision_signer_title": "Phó Chủ tịch"},
            {"parent_agency": "UBND TỈNH HÀ THANH", "decision_signer_title": "Chủ tịch"},
        )
    assert words == (
        "cơ quan chủ quản từ — thành UBND TỈNH HÀ THANH; "
        "chức vụ người ký quyết định từ Phó Chủ tịch thành Chủ tịch"
    )
