"""One refusal type: a stable code and translated problems; every code is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parindex.core.refusals import Problems, Refused
from parindex.rounds.services import RoundRefused

ROOT = Path(__file__).resolve().parents[3]
# `code="…"`, a class's default code, and a (code, sentence) pair, as the scores import gathers
# a row's problems on its hot path (a job kind's name is not a code)
CODE = re.compile(
    r'(?:code="|default_code = "'
    r'|(?<!JobKind)\(\s*"(?=[a-z_]+(?:\.[a-z_]+)+",\s*(?:_\(|message\b)))'
    r'([a-z_]+(?:\.[a-z_]+)*)"'
)


def test_a_refusal_keeps_its_code_and_every_problem():
    refused = RoundRefused(["Một.", "Hai."], code="round.invalid")
    assert (refused.code, refused.problems, str(refused)) == (
        "round.invalid",
        ["Một.", "Hai."],
        "Một.\nHai.",
    )
    assert refused.as_dict() == {"code": "round.invalid", "problems": ["Một.", "Hai."]}


def test_a_refusal_gathering_several_problems_keeps_the_code_of_each():
    refused = RoundRefused(["Một.", "Hai."], code="round.invalid", codes=["a.one", "a.two"])
    assert (refused.code, refused.codes) == ("round.invalid", ["a.one", "a.two"])
    assert RoundRefused(["Một.", "Hai."], code="round.invalid").codes == ["round.invalid"] * 2


def test_problems_gathered_for_one_refusal_keep_their_codes():
    problems = Problems()
    assert not problems
    problems.add("Một.", code="a.one")
    problems.add("Hai.", code="a.two")
    refused = RoundRefused(problems.texts, code="round.invalid", codes=problems.codes)
    assert problems and (refused.problems, refused.codes) == (["Một.", "Hai."], ["a.one", "a.two"])


def test_problems_take_in_another_gathering_with_its_codes():
    problems = Problems()
    problems.add("Một.", code="a.one")
    problems.extend(["Hai.", "Ba."], ["b.two", "b.three"])
    assert (problems.texts, problems.codes) == (
        ["Một.", "Hai.", "Ba."],
        ["a.one", "b.two", "b.three"],
    )
    with pytest.raises(ValueError, match="shorter"):
        problems.extend(["Bốn."], [])


def test_without_a_code_a_refusal_has_its_class_default():
    assert RoundRefused("Không.").code == "round.refused"
    assert Refused().problems == [] and Refused().code == "refused"
    assert Refused().codes == ["refused"]


def test_every_app_refusal_is_a_refused_and_a_value_error():
    with pytest.raises(ValueError, match="Không."):
        raise RoundRefused("Không.")


def test_every_code_in_the_code_is_listed_in_the_docs():
    documented = (ROOT / "docs" / "refusals.md").read_text(encoding="utf-8")
    used = {
        code
        for path in (ROOT / "parindex").rglob("*.py")
        if "tests" not in path.parts and "engine" not in path.parts
        for code in CODE.findall(path.read_text(encoding="utf-8"))
        if "." in code or code == "refused"
    }
    assert used, "no refusal code found: the pattern no longer matches the code"
    missing = sorted(code for code in used if f"`{code}`" not in documented)
    assert not missing, f"refusal codes missing from docs/refusals.md: {missing}"


RAISES = re.compile(r"pytest\.raises\(([^()]*(?:\([^()]*\)[^()]*)*)\)", re.S)


def test_every_pytest_raises_says_what_it_expects():
    """A bare `pytest.raises(X)` passes on any X, also the wrong one: each names a stable part
    of the message with `match=`, or checks the code with `check=` (a command's error caused by a
    refusal), or is `refuses(code)` from the conftest."""
    bare = [
        f"{path.relative_to(ROOT)}: pytest.raises({arguments.strip()})"
        for path in (ROOT / "parindex").rglob("test_*.py")
        if path != Path(__file__)
        for arguments in RAISES.findall(path.read_text(encoding="utf-8"))
        if "match=" not in arguments and "check=" not in arguments
    ]
    assert not bare, "pytest.raises without match= or check=:\n" + "\n".join(bare)
