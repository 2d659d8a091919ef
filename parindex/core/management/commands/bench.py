"""`parindex bench`: run every app's benchmark on a throwaway database and print the figures."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_test_environment

import parindex
from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = "Print benchmark figures, one `bench: <name> = <value> <unit>` per line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("apps", nargs="*", help="only these apps (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["apps"] or [app.name for app in pkgutil.iter_modules(parindex.__path__)]
        modules = []
        for name in names:
            try:
                module = importlib.import_module(f"parindex.{name}.bench")
            except ModuleNotFoundError as error:
                if error.name != f"parindex.{name}.bench":
                    raise
                continue
            if hasattr(module, "run"):  # core's holds the shared helpers only
                modules.append(module)
        # A throwaway database, as the test runner makes: the benchmark never touches real data.
        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            for number, module in enumerate(modules):
                if number:  # each app measures its own world, whatever ran before it
                    call_command("flush", interactive=False, verbosity=0)
                    cache.clear()
                for name, value, unit in module.run():
                    self.stdout.write(f"bench: {name} = {value} {unit}")
                    self.stdout.flush()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
