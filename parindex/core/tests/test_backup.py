"""Finding 15 of issue 10: `parindex backup DIR` and `parindex restore DIR`.

The demo province (with its published round and evidence PDFs) is backed up, the database,
MEDIA_ROOT and the var folder are emptied as on a new server after `migrate`, and the backup is
restored: same rows, same snapshot hashes, `verify` OK, byte-identical files and keys.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.assessments.models import Evidence
from parindex.cli import ALIASES, USAGE, translate
from parindex.conftest import load_demo_quickly, reseed
from parindex.core import backup
from parindex.core.models import AuditEntry
from parindex.results.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings, tmp_path):
    """A server's folders: MEDIA_ROOT and the var folder with its keys."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    (settings.VAR_DIR / "secret_key").write_text("s3cret-for-the-test")
    (settings.VAR_DIR / "publication_key").write_bytes(bytes(range(32)))
    (settings.VAR_DIR / "parindex.sqlite3").write_bytes(b"not a key")
    return settings


def fresh_server(settings, tmp_path, name: str) -> None:
    """What a new server has after `parindex migrate`: seeded rows, no media, no keys."""
    backup._empty_tables()
    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    reseed()
    settings.MEDIA_ROOT = tmp_path / name / "media"
    settings.VAR_DIR = tmp_path / name / "var"
    settings.VAR_DIR.mkdir(parents=True)
    (settings.VAR_DIR / "secret_key").write_text("generated-at-first-start")


def run(*argv: str) -> str:
    """Run a `parindex` command line and return what it printed."""
    from io import StringIO

    out = StringIO()
    command, *args = translate(list(argv))
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_backup_restores_into_an_empty_database_identically(server, tmp_path):
    world = load_demo_quickly()
    snapshots = dict(Snapshot.objects.values_list("round__code", "sha256"))
    assert snapshots, "the demo publishes a round"
    files = {e.file.name: e.file.read() for e in Evidence.objects.exclude(file="")}
    assert files, "the demo has evidence files"
    original_media, original_var = Path(server.MEDIA_ROOT), Path(server.VAR_DIR)

    manifest_sha = run("backup", str(tmp_path / "b1")).strip()
    manifest = json.loads((tmp_path / "b1" / "manifest.json").read_text())
    assert len(manifest_sha) == 64
    assert manifest["database_engine"] in ("sqlite", "postgresql")
    assert manifest["counts"]["results.snapshot"] == len(snapshots)
    assert "sessions.session" not in manifest["counts"]
    assert sorted(n for n in manifest["files"] if n.startswith("keys/")) == [
        "keys/publication_key",
        "keys/secret_key",
    ]
    assert all(len(digest) == 64 for digest in manifest["files"].values())

    fresh_server(server, tmp_path, "new")
    assert not Snapshot.objects.exists()
    out = run("restore", str(tmp_path / "b1"))
    assert manifest_sha in out

    assert dict(Snapshot.objects.values_list("round__code", "sha256")) == snapshots
    for code in snapshots:
        assert run("verify", code).startswith("OK")
    for name, content in files.items():
        assert (Path(server.MEDIA_ROOT) / name).read_bytes() == content
        assert (original_media / name).read_bytes() == content
    for key in ("secret_key", "publication_key"):
        assert (Path(server.VAR_DIR) / key).read_bytes() == (original_var / key).read_bytes()
    assert not (Path(server.VAR_DIR) / "parindex.sqlite3").exists()
    (kept,) = Path(server.VAR_DIR).glob("secret_key.before-restore-*")
    assert kept.read_text() == "generated-at-first-start"
    assert world.published_round.code in snapshots
    # New rows continue after the restored ones (sequences reset on PostgreSQL).
    last = AuditEntry.objects.order_by("-pk").first()
    restored = AuditEntry.objects.filter(action="setting.changed").order_by("-pk").first()
    assert restored.pk == last.pk and restored.object_repr

    # A second backup holds exactly the same rows, apart from the restore's own record.
    run("backup", str(tmp_path / "b2"))
    again = json.loads((tmp_path / "b2" / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if not name.startswith(("database/", "keys/")) or "core.setting" in name:
            continue
        if "core.auditentry" in name:
            before = (tmp_path / "b1" / name).read_text().splitlines()
            after = (tmp_path / "b2" / name).read_text().splitlines()
            assert after[: len(before)] == before and len(after) == len(before) + 1
            continue
        assert again["files"][name] == digest, name


@pytest.fixture
def small_backup(server, tmp_path, par_officer):
    evidence_dir = Path(server.MEDIA_ROOT) / "evidence" / "1"
    evidence_dir.mkdir(parents=True)
    (evidence_dir / "a.pdf").write_bytes(b"%PDF-1.4 test")
    backup.make_backup(tmp_path / "b")
    return tmp_path / "b"


def test_backup_refuses_a_folder_that_is_not_empty(small_backup):
    with pytest.raises(CommandError, match="không trống"):
        run("backup", str(small_backup))


def test_restore_refuses_a_tampered_backup_and_changes_nothing(small_backup, settings, tmp_path):
    users = tmp_path / "users.jsonl"
    table = next((small_backup / "database").glob("*-accounts.user.jsonl"))
    users.write_text(table.read_text())
    table.write_text(table.read_text().replace("p_officer", "p_officeR"))
    with pytest.raises(CommandError, match="bị sửa đổi hoặc hư hỏng.*accounts.user.jsonl"):
        run("restore", str(small_backup), "--force")
    table.write_text(users.read_text())
    (small_backup / "database" / "999-extra.jsonl").write_text("{}\n")
    with pytest.raises(CommandError, match="999-extra.jsonl"):
        run("restore", str(small_backup), "--force")


def test_restore_refuses_a_database_in_use_without_force(small_backup, settings, tmp_path):
    with pytest.raises(CommandError, match="--force"):
        run("restore", str(small_backup))
    settings.MEDIA_ROOT = tmp_path / "other-media"
    out = run("restore", str(small_backup), "--force")
    assert "Đã khôi phục" in out
    assert (tmp_path / "other-media" / "evidence" / "1" / "a.pdf").read_bytes() == b"%PDF-1.4 test"


def test_restore_refuses_a_backup_whose_audit_names_a_missing_user(server, tmp_path):
    entry = AuditEntry.objects.create(
        action="setting.changed", object_type="core.setting", object_id="1", object_repr="x"
    )
    AuditEntry.objects.filter(pk=entry.pk).update(actor_id=10**9)
    backup.make_backup(tmp_path / "b")
    AuditEntry.objects.filter(pk=entry.pk).update(reason="trước khi khôi phục")
    with pytest.raises(CommandError, match="core_auditentry.actor_id"):
        run("restore", str(tmp_path / "b"), "--force")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "trước khi khôi phục"


def test_restore_refuses_a_backup_of_other_migrations(small_backup):
    manifest_path = small_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"].append("results.9999_future")
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="results.9999_future"):
        run("restore", str(small_backup), "--force")


def test_restore_of_a_folder_without_manifest_says_so(tmp_path):
    with pytest.raises(CommandError, match="manifest.json"):
        run("restore", str(tmp_path))


def test_backup_and_restore_are_parindex_commands():
    assert ALIASES[("backup",)] == "backup" and ALIASES[("restore",)] == "restore"
    assert "backup DIR" in USAGE and "restore DIR" in USAGE
