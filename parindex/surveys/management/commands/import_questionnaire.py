"""`parindex survey import FILE [--dry-run]`: load a questionnaire from YAML or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from parindex.core.commands import BaseCommand
from parindex.surveys import files
from parindex.surveys.services import questionnaires
from parindex.surveys.spec import QuestionnaireRefused


class Command(BaseCommand):
    help = (
        "Import a survey questionnaire from a YAML or XLSX file and print its code. A known code "
        "gets a new version; a file equal to the latest version changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the .yaml/.yml or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            spec = files.read_questionnaire_file(data, path.name)
            result = questionnaires.import_questionnaire(
                spec=spec, by=None, dry_run=options["dry_run"]
            )
        except QuestionnaireRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{len(refused.problems)} problem(s); nothing was imported."
            ) from None
        questionnaire = result.questionnaire
        self.stdout.write(questionnaire.code)
        note = "dry run, nothing saved: " if result.dry_run else ""
        self.stderr.write(f"{note}{result.action} {questionnaire.code} v{questionnaire.version}")
