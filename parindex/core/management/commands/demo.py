"""`parindex demo`: set up the database, load the demo province once, print logins and serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from parindex.core import queries
from parindex.core.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the illustrative demo province (once) and start the server on 127.0.0.1:8000."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

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
        if not options["no_serve"]:
            self.stdout.write(f"\nServing on http://{options['addrport']}/ (Ctrl+C to stop)\n")
            call_command("runserver", options["addrport"], use_reloader=False)
