"""The repository's own documentation stays whole: links resolve, nothing points outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parindex.cli import ALIASES

ROOT = Path(__file__).resolve().parents[3]
PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")],
    key=str,
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_of_a_page_resolves(page):
    targets = [t for t in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_no_page_sends_the_reader_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert not re.findall(r"\b(?:DESIGN|DOMAIN|STYLE)\.md|/work/|shared folder", text)


def test_the_contract_lists_every_command_word():
    contract = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    missing = [words for words in ALIASES if f"`parindex {' '.join(words)}" not in contract]
    assert not missing
