"""`parindex worker`: run background jobs (the database queue's or RQ's worker, by settings).

First queues again the jobs a dead worker left running, then hands over to the queue's own
worker: django-tasks-db's `db_worker` by default, django-rq's `rqworker` with TASKS_BACKEND=rq.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from parindex.core.commands import BaseCommand
from parindex.jobs import services


class Command(BaseCommand):
    help = (
        "Run background jobs until stopped (Ctrl+C, SIGTERM). Start as many as the machine has "
        "cores to spare; jobs left running by a stopped worker are queued again first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop (database queue)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            requeued = services.recover_stale()
        if requeued:
            self.stdout.write(f"{requeued} job(s) left by a stopped worker queued again.")
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_db."):
            call_command(
                "db_worker",
                queue_name="*",
                batch=options["batch"],
                reload=False,
                startup_delay=not options["batch"],
                verbosity=options["verbosity"],
            )
        elif backend.startswith("django_tasks_rq."):
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                burst=options["batch"],
                # Jobs to run later (a webhook's next attempt) wait in RQ's scheduled registry;
                # the scheduler moves them to the queue when their time comes.
                with_scheduler=True,
            )
        else:
            raise CommandError(f"The task backend {backend} has no worker: jobs run at once.")
