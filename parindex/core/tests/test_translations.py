"""The UI speaks Vietnamese: every catalogue is complete, up to date and compiled."""

from __future__ import annotations

import contextlib
import gettext
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

APPS_DIR = Path(__file__).resolve().parents[2]
APPS = sorted(path.parent for path in APPS_DIR.glob("*/apps.py"))


def read_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, is_fuzzy) of a .po file (singular entries; plurals keyed by msgid)."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"') and key:
                fields[key] += eval(line)  # noqa: S307 - a .po string literal
            elif " " in line:
                key, _, value = line.partition(" ")
                fields[key] = eval(value)  # noqa: S307
        if "msgid" in fields and fields["msgid"]:
            # gettext keys a message with a context as "context\x04message".
            key = "\x04".join(filter(None, (fields.get("msgctxt"), fields["msgid"])))
            entries[key] = (fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy)
    return entries


@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
def test_catalogue_translates_every_string(app):
    po = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run `make messages`"
    untranslated = [msgid for msgid, (msgstr, fuzzy) in read_po(po).items() if not msgstr or fuzzy]
    assert not untranslated, f"{app.name}: untranslated or fuzzy: {untranslated}"


@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
def test_compiled_catalogue_matches_its_source(app):
    folder = app / "locale" / "vi" / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    source = {msgid: msgstr for msgid, (msgstr, _fuzzy) in read_po(folder / "django.po").items()}
    compiled_strings = {
        (key[0] if isinstance(key, tuple) else key): value for key, value in compiled.items() if key
    }
    assert {k: v for k, v in compiled_strings.items() if k in source} == source, (
        f"{app.name}: django.mo is stale: run `make messages`"
    )


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> dict[str, set[str]]:
    """Each app's msgids as `makemessages` finds them in a copy of its code (tests left out):
    one run per app, all in this process (a Django process per app cost seconds each)."""
    fresh = {}
    for app in APPS:
        copy = tmp_path_factory.mktemp("catalogues") / app.name
        shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
        with contextlib.chdir(copy):
            call_command("makemessages", locale=["vi"], no_obsolete=True, verbosity=0)
        fresh[app.name] = set(read_po(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    return fresh


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
def test_catalogue_lists_every_string_of_the_code(app, fresh_catalogues):
    fresh = fresh_catalogues[app.name]
    known = set(read_po(app / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert fresh <= known, (
        f"{app.name}: strings missing from the catalogue: {sorted(fresh - known)}"
    )


def test_a_message_reads_the_same_in_every_app():
    """Django merges the apps' catalogues and the first app in INSTALLED_APPS wins, so one English
    message translated two ways shows the other app's words (the index-set diff read "Trước sắp
    xếp"). Different meanings get a context: `{% translate "Before" context "reorganisation" %}`.
    """
    wordings: dict[str, dict[str, list[str]]] = {}
    for app in APPS:
        po = app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        for msgid, (msgstr, _fuzzy) in read_po(po).items():
            wordings.setdefault(msgid, {}).setdefault(msgstr, []).append(app.name)
    differing = {msgid: apps for msgid, apps in wordings.items() if len(apps) > 1}
    assert not differing, f"one message, several translations: {differing}"
