from __future__ import annotations

import itertools
import re

import pytest

from parindex.cli import ALIASES, main, translate


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["indexset", "import", "f.yaml", "--dry-run"],
            ["import_index_set", "f.yaml", "--dry-run"],
        ),
        (["national", "report", "--year", "2022"], ["national_report", "--year", "2022"]),
        (["publish", "R2026"], ["publish_round", "R2026"]),
        (["migrate", "--plan"], ["migrate", "--plan"]),
    ],
    ids=["two-words", "national-report", "one-word", "django-command"],
)
def test_translate_maps_design_commands_to_management_commands(argv, expected):
    assert translate(argv) == expected


def test_help_lists_the_project_commands(capsys):
    assert main(["--help"]) == 0
    assert "indexset import FILE" in capsys.readouterr().out


def test_unknown_command_exits_non_zero(capsys):
    assert main(["no-such-command"]) != 0


def test_every_command_word_names_an_existing_management_command():
    from django.core.management import get_commands

    missing = {" ".join(words) for words, name in ALIASES.items() if name not in get_commands()}
    assert not missing


def test_every_command_the_help_advertises_exists():
    """Finding 15: `parindex users import` was in the help but not a management command."""
    from django.core.management import get_commands

    from parindex.cli import USAGE

    listing = USAGE.split("parindex commands:")[1].split("\n\n")[0]
    advertised = []
    for line in listing.strip().splitlines():
        usage = re.split(r"\s{2,}", line.strip())[0]  # the description follows two spaces
        advertised.append(list(itertools.takewhile(str.islower, usage.split())))
    assert len(advertised) == len(ALIASES)
    missing = [words for words in advertised if translate(words)[0] not in get_commands()]
    assert not missing, f"advertised but not management commands: {missing}"
