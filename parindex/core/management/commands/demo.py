"""`parindex demo`: set up the database, load the demo province once, print logins and serve."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands

from parindex.core import queries
from parindex.core.commands import BaseCommand
from parindex.core.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the illustrative demo province (once) and start the server on 127.0.0.1:8000."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve without a background-jobs worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if queries.is_demo():
            self.stdout.write("The demo province is already loaded; reusing it.")
        else:
            self.stdout.write("Loading the demo province…")
            load_demo()
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<24} {role}")
        if options["no_serve"]:
            return
        worker = None if options["no_worker"] else self._start_worker()
        # A plain `kill` (SIGTERM) stops the server like Ctrl+C does, so the worker stops too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        self.stdout.write(f"\nServing on http://{options['addrport']}/ (Ctrl+C to stop)\n")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        """The background-jobs worker (`parindex worker`), started beside the server."""
        if "jobs_worker" not in get_commands():
            return None
        self.stdout.write("Starting the background-jobs worker (parindex worker)…")
        return subprocess.Popen(
            [sys.executable, "-m", "django", "jobs_worker", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
        )

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        """Stop the worker with the server (Ctrl+C reaches both; this covers other exits)."""
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("Background-jobs worker stopped.")
