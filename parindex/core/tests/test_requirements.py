"""The production lock carries no test tools; the development lock adds them on the same pins."""

from __future__ import annotations

import re
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parents[3] / "requirements"


def _names(path: Path) -> set[str]:
    """Package names listed in a `.in` file (options and comments left out)."""
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {re.split(r"[\[<>=!~ ]", line)[0].lower() for line in lines if line and line[0] != "-"}


def _pins(path: Path) -> dict[str, str]:
    """`name -> version` of a pip-compile lock."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", path.read_text(), flags=re.MULTILINE)
    return {name.lower(): version for name, version in found}


def test_production_lock_holds_no_development_tool():
    production = _pins(REQUIREMENTS / "lock.txt")
    tools = _names(REQUIREMENTS / "dev.in")
    assert {"pytest", "ruff", "playwright", "factory-boy"} <= tools
    assert tools.isdisjoint(production)
    assert _names(REQUIREMENTS / "base.in") <= set(production)


def test_development_lock_pins_production_packages_alike():
    production = _pins(REQUIREMENTS / "lock.txt")
    development = _pins(REQUIREMENTS / "dev-lock.txt")
    assert {name: development.get(name) for name in production} == production
    assert _names(REQUIREMENTS / "dev.in") <= set(development)
