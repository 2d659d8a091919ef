"""The engine stays pure: no Django anywhere, and only the standard library in its code."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1]
MODULES = sorted(ENGINE.rglob("*.py"))
CODE_MODULES = [path for path in MODULES if "tests" not in path.relative_to(ENGINE).parts]


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports (absolute imports only)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def module_id(path: Path) -> str:
    return str(path.relative_to(ENGINE))


@pytest.mark.parametrize("path", MODULES, ids=module_id)
def test_no_engine_module_imports_django(path: Path) -> None:
    assert "django" not in imported_roots(path)


@pytest.mark.parametrize("path", CODE_MODULES, ids=module_id)
def test_engine_code_imports_only_the_standard_library(path: Path) -> None:
    outside = imported_roots(path) - set(sys.stdlib_module_names) - {"__future__", "parindex"}
    assert not outside


@pytest.mark.parametrize("path", CODE_MODULES, ids=module_id)
def test_every_engine_module_postpones_annotations(path: Path) -> None:
    assert "from __future__ import annotations" in path.read_text(encoding="utf-8")
