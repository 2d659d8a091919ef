"""The `parindex` command: docs/design.md's command line, mapped onto Django management commands.

`parindex indexset import FILE` runs the management command `import_index_set FILE`; any other
word is passed to Django unchanged (`parindex migrate`, `parindex runserver`…).
"""

from __future__ import annotations

import os
import sys

# (words typed by the user) -> management command
ALIASES: dict[tuple[str, ...], str] = {
    ("demo",): "demo",
    ("indexset", "import"): "import_index_set",
    ("indexset", "export"): "export_index_set",
    ("units", "import"): "import_units",
    ("users", "import"): "import_users",
    ("round", "create"): "create_round",
    ("round", "finalise"): "finalise_round",
    ("scores", "import"): "import_scores",
    ("results",): "export_results",
    ("publish",): "publish_round",
    ("verify",): "verify_round",
    ("national", "import"): "import_national",
    ("national", "report"): "national_report",
    ("remind",): "send_reminders",
    ("webhooks", "deliver"): "deliver_webhooks",
    # monitoring (issue 12)
    ("plan", "import"): "import_plan",
    ("tasks", "update"): "update_tasks",
    ("reports", "types"): "import_report_types",
    ("reports", "submissions"): "import_submissions",
    ("inspections", "import"): "import_findings",
    ("monitoring", "rates"): "monitoring_rates",
    ("monitoring", "computed"): "monitoring_computed",
    ("survey", "import"): "import_questionnaire",
    ("survey", "results"): "survey_results",
    ("survey", "responses"): "import_survey_responses",
    ("survey", "apply"): "apply_survey",
    ("survey", "sipas"): "import_sipas",
    ("survey", "papi"): "import_papi",
    ("worker",): "jobs_worker",
    ("bench",): "bench",
    ("backup",): "backup",
    ("restore",): "restore",
}

USAGE = """usage: parindex COMMAND [ARGS]

parindex commands:
  demo                                   load the demo province and start the server
  indexset import FILE [--draft] [--dry-run]
  indexset export CODE --format yaml|xlsx [-o FILE]
  units import FILE [--dry-run]
  users import FILE [--dry-run] [--by USERNAME]
  round create CODE --year Y --indexset UNIT_TYPE=SET_CODE ... [--as-of YYYY-MM-DD]
  round finalise ROUND --reason TEXT --by USERNAME  close a round whose scores were imported
  scores import ROUND FILE [--dry-run]
  results ROUND [--unit-type T] --format csv|xlsx|json [-o FILE] [--unit-sheets]
  publish ROUND
  verify ROUND
  national import FILE [--dry-run]
  national report --province NAME --year Y --format json|md|docx
  plan import PLAN_CODE FILE --year Y [--title T] [--dry-run]
  tasks update PLAN_CODE FILE [--dry-run]
  reports types FILE [--dry-run]
  reports submissions FILE [--dry-run]
  inspections import FILE [--dry-run]
  monitoring rates --year Y [--as-of YYYY-MM-DD] --format csv
  monitoring computed ROUND --format csv   every unit's computed criteria at the round's as-of
  remind                                 send due deadline reminders (daily cron)
  webhooks deliver                       queue every waiting webhook delivery (after a queue outage)
  survey import FILE [--dry-run]         questionnaire (YAML or XLSX)
  survey responses CODE FILE [--round R] [--dry-run]
  survey results CODE [--round R] --format csv
  survey apply CODE ROUND [--dry-run]    survey points into the round (before publication)
  survey sipas FILE [--dry-run]          satisfaction counts per unit and item
  survey papi FILE [--dry-run]           PAPI scores per province and year
  worker [--batch]                       run background jobs (imports, publication, documents)
  bench                                  print the benchmark figures
  backup DIR                             database, evidence files and keys into a new folder
  restore DIR [--force]                  check a backup and put it back, all or nothing

Any other command is a Django management command (migrate, runserver, createsuperuser…).
`parindex help` lists them all; `parindex COMMAND --help` explains one."""


def translate(argv: list[str]) -> list[str]:
    """Replace the leading words of a docs/design.md command by the management command's name."""
    for words, command in sorted(ALIASES.items(), key=lambda item: -len(item[0])):
        if tuple(argv[: len(words)]) == words:
            return [command, *argv[len(words) :]]
    return argv


def main(argv: list[str] | None = None) -> int:
    """Run a parindex command; the exit status is non-zero on any error."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["parindex", *translate(args)])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0
