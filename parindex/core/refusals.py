"""One refusal type for every app: a stable code for machines, translated text for people.

A service that will not do what it is asked raises a subclass of `Refused` (`RoundRefused`,
`ResultsRefused`, ...). The exception carries:

- `code`: stable and machine-readable (`"round.finalised"`, `"assessment.conflict"`), the same
  whatever the language; views, the API and the tests look at it, never at the sentence. Each
  subclass has a default code for the refusals that have no code of their own yet
  (`"round.refused"`); the codes are listed in docs/refusals.md.
- `problems`: every reason, already translated (one line each), for the person.
- `codes`: the code of each problem, in the same order, when a refusal gathers several
  (a units file, a reorganisation): `code` then names the whole (`"reorganisation.invalid"`)
  and `codes` tell the problems apart. A refusal of one problem has `codes == [code]`.

`str(refused)` is the problems joined by new lines, as views have always shown them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.utils.functional import Promise


class Refused(ValueError):
    """An action the rules do not allow (now): a stable `code`, translated `problems`."""

    default_code: ClassVar[str] = "refused"

    def __init__(
        self,
        problems: str | Promise | Iterable[str | Promise] = "",
        *,
        code: str = "",
        codes: Iterable[str] = (),
    ) -> None:
        if isinstance(problems, str | Promise):
            listed = [str(problems)] if str(problems) else []
        else:
            listed = [str(problem) for problem in problems]
        self.problems: list[str] = listed
        self.code: str = code or self.default_code
        self.codes: list[str] = list(codes) or [self.code] * max(len(listed), 1)
        super().__init__("\n".join(listed))

    @property
    def message(self) -> str:
        """The problems as one text, one per line (what a page shows)."""
        return "\n".join(self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The refusal as the API and htmx error fragments send it."""
        return {"code": self.code, "problems": self.problems}


class Problems:
    """The problems of a form gathered before one refusal, each with its code:
    `raise Refused(problems.texts, code="task.invalid", codes=problems.codes)`."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.codes: list[str] = []

    def add(self, text: str | Promise, *, code: str) -> None:
        self.texts.append(str(text))
        self.codes.append(code)

    def extend(self, texts: Iterable[str], codes: Iterable[str]) -> None:
        """Add another gathering's problems with their codes (a `Problems`' `texts` and `codes`,
        or a refusal's `problems` and `codes`)."""
        for text, code in zip(texts, codes, strict=True):
            self.add(text, code=code)

    def __bool__(self) -> bool:
        return bool(self.texts)
