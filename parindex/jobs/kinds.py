"""The kinds of background job, registered by the apps above from their `AppConfig.ready()`.

Jobs sit low in the layers (above accounts, below units) and never import the apps whose work
they run. An app registers each kind of heavy work it offers:

    from parindex.jobs import kinds
    kinds.register(kinds.JobKind("results.publish", _("Publication"), jobs.publish))

`run(job, progress)` does the work (calling the app's own service, exactly as its command does
in the foreground) and returns an `Outcome`, or raises a refusal (`core.refusals.Refused`: the
service's own, or `Refused` below) with every problem listed (an all-or-nothing report); the job
keeps its code and the code of each problem. `may_open(user, job)`, when given, is asked again
before the result is downloaded or linked: the job's result follows the rule of the page it comes
from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from parindex.core import refusals
from parindex.jobs.models import Job


class Refused(refusals.Refused):
    """Work refused with a sentence of its own for the job (`summary`, e.g. when a webhook's
    next attempt is), beside the problems and their codes."""

    default_code = "job.refused"

    def __init__(
        self,
        problems: list[str],
        summary: str = "",
        *,
        code: str = "",
        codes: Iterable[str] = (),
    ) -> None:
        super().__init__(problems, code=code, codes=codes)
        self.summary = summary


@dataclass(frozen=True)
class Outcome:
    """What a finished job produced: a sentence, a page to go to, and/or a file to download."""

    message: str = ""
    url: str = ""
    file: bytes | None = None
    file_name: str = ""


class Progress:
    """How a running job tells how far it is (`step(done, total, message)`)."""

    def __init__(self, job: Job, save: Callable[[Job], None] | None = None) -> None:
        self.job = job
        self._save = save

    def step(self, done: int, total: int, message: str = "") -> None:
        self.job.done, self.job.total = done, total
        if message:
            self.job.message = message
        if self._save is not None:
            self._save(self.job)


@dataclass(frozen=True)
class JobKind:
    """One kind of background work an app offers."""

    key: str
    label: Any  # a (lazy) translated string
    run: Callable[[Job, Progress], Outcome]
    may_open: Callable[[Any, Job], bool] | None = None
    describe: Callable[[Job], str] | None = field(default=None)


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Register a kind (again under the same key: replace it)."""
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> JobKind:
    """The registered kind `key` (ImproperlyConfigured when no app registered it)."""
    try:
        return _KINDS[key]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the job kind {key!r}.") from None


def known() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)
