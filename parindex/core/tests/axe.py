"""axe-core in the browser tests: the accessibility rules every page must pass.

The vendored `fixtures/axe/axe.min.js` is evaluated in the page through the DevTools protocol
(Playwright's `evaluate`), which the Content-Security-Policy does not govern: no page links it
and no inline script is added. `check(page)` returns the serious and critical violations.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def source() -> str:
    return AXE.read_text(encoding="utf-8")


def run(page) -> list[dict[str, Any]]:
    """Every violation axe finds on the page as it is now (all of axe's default rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source())
    result = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "),
                                                      summary: n.failureSummary})),
            }));
        }"""
    )
    return list(result)


def blocking(page) -> list[dict[str, Any]]:
    """The serious and critical violations (the ones the browser tests refuse)."""
    return [violation for violation in run(page) if violation["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable list for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']})")
        lines += [f"    {node['target']}: {node['summary']}" for node in violation["nodes"]]
    return "\n".join(lines)
