"""Permission matrix entries for background jobs: everyone signed in has a list; a job's page
and file are its starter's and the PAR office's (404 to everyone else: its existence does not
leak)."""

from __future__ import annotations

from parindex.core.tests.matrix import OFFICE, SIGNED_IN, Route
from parindex.jobs.tests.factories import make_job


def setup(world):
    world.job = make_job(world.unit_editor, text="hello", file=True)


OWNERS = OFFICE | {"unit_editor"}

ROUTES = [
    Route("jobs:list", SIGNED_IN),
    Route("jobs:detail", OWNERS, kwargs=lambda w: {"pk": w.job.pk}, denied=404),
    Route("jobs:download", OWNERS, kwargs=lambda w: {"pk": w.job.pk}, denied=404),
]
