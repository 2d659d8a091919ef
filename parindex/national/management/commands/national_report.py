"""`parindex national report --province NAME --year Y --format json|md|docx`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.national import exports
from parindex.national.report import ReportError, build_report, resolve_province


class Command(BaseCommand):
    help = (
        "The analysis of a province's place in the national PAR Index of a year: JSON "
        "(docs/design.md), "
        "or the official's text with its appendix as Markdown or DOCX."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", required=True, help="province name or alias")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "md", "docx"], default="json")
        parser.add_argument(
            "-o", "--output", help="write to this file (DOCX: default name in the current folder)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = build_report(
                province=resolve_province(options["province"]), year=options["year"]
            )
        except ReportError as error:
            raise CommandError(str(error)) from error
        output = options["output"]
        if options["format"] == "docx":
            path = Path(output or exports.filename(report, "docx"))
            path.write_bytes(exports.to_docx(report))
            self.stdout.write(str(path))
            return
        if options["format"] == "json":
            content = json.dumps(exports.to_json(report), ensure_ascii=False, indent=2) + "\n"
        else:
            content = exports.to_markdown(report)
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stdout.write(output)
        else:
            self.stdout.write(content, ending="")
