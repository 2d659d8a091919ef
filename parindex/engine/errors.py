"""The two ways the engine refuses input: a bad index set, or a bad answer or score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parindex.engine.messages import ERROR_TEMPLATES, PROBLEM_TEMPLATES


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an index-set spec: where it is, a stable code, and its details."""

    path: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The problem in plain English (the web app translates `code` instead)."""
        return PROBLEM_TEMPLATES[self.code].format(**self.params)

    def __str__(self) -> str:
        return f"{self.path or '(index set)'}: {self.message}"


class IndexSetInvalid(ValueError):
    """An index-set spec was refused; `problems` lists every problem found, in document order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the index set:\n{lines}")


class EngineError(ValueError):
    """An answer, a score or a request the engine cannot accept for a criterion or a unit."""

    def __init__(
        self,
        code: str,
        node_code: str,
        message: str,
        params: Mapping[str, Any] | None = None,
        unit_code: str = "",
    ) -> None:
        self.code = code
        self.node_code = node_code
        self.message = message
        self.params: Mapping[str, Any] = dict(params or {})
        self.unit_code = unit_code
        where = " ".join(
            part
            for part in (
                f"unit {unit_code}" if unit_code else "",
                f"criterion {node_code}" if node_code else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)

    def for_unit(self, unit_code: str) -> EngineError:
        """The same error, saying which unit it was raised for."""
        return EngineError(self.code, self.node_code, self.message, self.params, unit_code)


def fail(error_code: str, node_code: str = "", /, **params: Any) -> EngineError:
    """Build the EngineError for `error_code`, its English message filled in from the template."""
    return EngineError(error_code, node_code, ERROR_TEMPLATES[error_code].format(**params), params)
