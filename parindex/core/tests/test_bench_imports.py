"""`parindex bench` runs on a production install: its modules import no test code or test tool."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PARINDEX = Path(__file__).resolve().parents[2]
MODULES = sorted([*PARINDEX.glob("*/bench.py"), *PARINDEX.glob("*/scale.py")])
TEST_TOOLS = {"pytest", "factory", "faker", "hypothesis", "time_machine", "playwright", "pypdf"}


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_benchmark_code_imports_no_test_module_or_test_tool(path):
    imported = _imported(path)
    assert not {name for name in imported if ".tests" in name or name.endswith("conftest")}
    assert not {name for name in imported if name.split(".")[0] in TEST_TOOLS}


def test_every_app_benchmark_is_checked():
    assert {path.parent.name for path in MODULES if path.name == "bench.py"} >= {
        "assessments",
        "core",
        "indexsets",
        "national",
        "results",
        "units",
    }
