"""Monitoring's background jobs: the rates of a year and the computed criteria of a round,
recomputed by a worker with a bar in the browser (the same functions `parindex monitoring rates`
and `parindex monitoring computed` run in the foreground). Registered in `hooks.register`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.accounts import permissions
from parindex.documents.tables import write_csv
from parindex.jobs import kinds, services
from parindex.jobs.models import Job
from parindex.monitoring import computed, rates
from parindex.rounds.models import Round


def csv_bytes(table: list[list[object]]) -> bytes:
    """A machine table as the commands print it (no BOM, LF line ends)."""
    return write_csv(table, bom=False, lineterminator="\n")


def run_rates(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    year, as_of = job.arguments["year"], dt.date.fromisoformat(job.arguments["as_of"])
    table = rates.rates_table(year, as_of, step=progress.step)
    return kinds.Outcome(
        message=_("The rates of %(n)d unit(s) are computed.") % {"n": len(table) - 1},
        url=reverse("monitoring:rates") + f"?year={year}&as_of={as_of.isoformat()}",
        file=csv_bytes(table),
        file_name=f"ty-le-theo-doi-{year}-{as_of.isoformat()}.csv",
    )


def run_computed(job: Job, progress: kinds.Progress) -> kinds.Outcome:
    round_ = Round.objects.get(pk=job.arguments["round"])
    table = computed.computed_table(round_, step=progress.step)
    if len(table) == 1:
        raise kinds.Refused(
            [_("Round %(round)s has no computed criterion.") % {"round": round_.code}],
            code="monitoring.no_computed_criterion",
        )
    return kinds.Outcome(
        message=_("%(n)d computed value(s) of round %(round)s.")
        % {"n": len(table) - 1, "round": round_.code},
        url=reverse("monitoring:rates") + f"?year={round_.year}",
        file=csv_bytes(table),
        file_name=f"tieu-chi-tu-dong-{round_.code}.csv",
    )


def may_open(user: Any, job: Job) -> bool:
    """The result follows the rates page's rule, asked again at download."""
    return permissions.has(user, "view_plans")


def _describe(job: Job) -> str:
    if "round" in job.arguments:
        round_ = Round.objects.filter(pk=job.arguments["round"]).first()
        return round_.code if round_ else "—"
    return f"{job.arguments.get('year')} · {job.arguments.get('as_of')}"


def enqueue_rates(*, year: int, as_of: dt.date, by: Any) -> Job:
    """Recompute a year's rates in the background; asked again before anything changed (every
    change of a task, report or finding is audited), the same job and its file."""
    return services.enqueue(
        kind="monitoring.rates",
        arguments={"year": year, "as_of": as_of.isoformat()},
        by=by,
        key=f"monitoring.rates:{year}:{as_of.isoformat()}:{services.data_revision()}",
    )


def enqueue_computed(*, round_: Round, by: Any) -> Job:
    """Recompute the computed criteria of a round in the background (same key rule)."""
    return services.enqueue(
        kind="monitoring.computed",
        arguments={"round": round_.pk},
        by=by,
        key=f"monitoring.computed:{round_.pk}:{services.data_revision()}",
    )


def register() -> None:
    for key, label, run in (
        ("monitoring.rates", gettext_lazy("Monitoring rates"), run_rates),
        ("monitoring.computed", gettext_lazy("Computed criteria of a round"), run_computed),
    ):
        kinds.register(kinds.JobKind(key, label, run, may_open=may_open, describe=_describe))
