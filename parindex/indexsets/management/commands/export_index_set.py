"""`parindex indexset export CODE --format yaml|xlsx [-o FILE]`: write an index set's file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex import engine
from parindex.core.commands import BaseCommand
from parindex.indexsets import files, queries
from parindex.indexsets.models import IndexSet


class Command(BaseCommand):
    help = (
        "Export an index set (its latest published version, or --set-version N) as canonical YAML "
        "or as the XLSX form; to standard output unless -o FILE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="the set's code, e.g. SO-2024")
        parser.add_argument("--format", choices=files.FORMATS, default="yaml")
        parser.add_argument("--set-version", type=int, help="a given version (default: the latest)")
        parser.add_argument("-o", "--output", help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"]
        sets = IndexSet.objects.select_related("unit_type").filter(code=code)
        if options["set_version"]:
            index_set = sets.filter(version=options["set_version"]).first()
        else:
            index_set = queries.latest_published(code) or sets.order_by("-version").first()
        if index_set is None:
            raise CommandError(f"There is no index set {code}.")
        try:
            source = queries.engine_index_set(index_set)
        except engine.IndexSetInvalid as invalid:
            raise CommandError(str(invalid)) from None
        exported = files.export_file(source, options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(exported.content)
            self.stderr.write(f"{index_set} → {options['output']}")
        elif options["format"] == "xlsx":
            sys.stdout.buffer.write(exported.content)
        else:
            self.stdout.write(exported.content.decode("utf-8"), ending="")
