"""Backup and restore of a whole parindex installation: database, evidence files and keys.

A backup is a folder:

    manifest.json                  what it holds: time, versions, engine, migrations, row counts,
                                   and the SHA-256 of every other file
    database/NNN-app.model.jsonl   every row of every table, one JSON object a line, tables in
                                   dependency order
    media/…                        the evidence files under MEDIA_ROOT, same paths
    keys/…                         the key files found in the var folder (secret_key,
                                   publication_key, any *key, *.key or *.pem)

The dump is logical (field values, not SQL), so a backup taken on SQLite restores on PostgreSQL
and back; values keep their full precision (microseconds, decimals as text). Restoring checks
every checksum and the migrations first, then replaces the whole database in one transaction,
resets PostgreSQL's sequences, and moves the files into place only once the rows are in.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000
# Sessions are throwaway (a restore logs everyone out); everything else is kept.
SKIPPED_MODELS = {"sessions.session"}
KEY_SUFFIXES = ("key", ".key", ".pem")


class BackupError(Exception):
    """A backup could not be made or restored; the message says why, for the operator."""


@dataclass
class Manifest:
    created_at: str
    parindex_version: str
    database_engine: str
    migrations: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True)


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did: the manifest, its SHA-256, and the folder."""

    folder: Path
    manifest: Manifest
    manifest_sha256: str


# --- what is backed up -------------------------------------------------------------------------


def dumped_models() -> list[type[models.Model]]:
    """Every table's model, those that others point to first; m2m link tables last."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = sort_dependencies(app_list, allow_cycles=True)
    links = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created and model not in ordered
    ]
    return [
        model
        for model in [*ordered, *links]
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in SKIPPED_MODELS
    ]


def key_files() -> list[Path]:
    """The key files of the var folder (not the SQLite database, not the media)."""
    var_dir = Path(settings.VAR_DIR)
    if not var_dir.is_dir():
        return []
    return sorted(
        path for path in var_dir.iterdir() if path.is_file() and path.name.endswith(KEY_SUFFIXES)
    )


def media_files(root: Path) -> list[Path]:
    """Every file under MEDIA_ROOT, as paths relative to it (probe files of /healthz aside)."""
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


# --- values in and out of JSON -----------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A JSON value for what the database returned, without losing precision."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise BackupError(_("Binary values cannot be backed up: %(value).40r") % {"value": value})
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    fields = _fields(model)
    names = [f.attname for f in fields]
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=CHUNK_ROWS):
        yield dict(zip(names, values, strict=True))


def _instance(model: type[models.Model], row: dict[str, Any]) -> models.Model:
    values = {}
    for model_field in _fields(model):
        value = row[model_field.attname]
        if value is not None and not isinstance(model_field, models.JSONField):
            value = model_field.to_python(value)
        values[model_field.attname] = value
    return model(**values)


# --- backup -----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _consistent_read() -> Iterator[None]:
    """One state of the whole database for the dump, without blocking writers."""
    if connection.in_atomic_block:  # the caller's transaction already fixes what is seen
        yield
    elif connection.vendor == "sqlite":
        # transaction.atomic would BEGIN IMMEDIATE (the project's SQLite mode) and block
        # writers; a deferred read transaction in WAL mode sees one state while they go on.
        connection.ensure_connection()
        connection.connection.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            connection.connection.execute("ROLLBACK")
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def make_backup(folder: Path) -> Outcome:
    """Write a backup into `folder` (new or empty); returns the manifest and its SHA-256."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(_("The folder %(folder)s is not empty.") % {"folder": folder})
    (folder / "database").mkdir(parents=True, exist_ok=True)
    manifest = Manifest(
        created_at=timezone.now().isoformat(),
        parindex_version=metadata.version("parindex"),
        database_engine=connection.vendor,
        migrations=applied_migrations(),
    )
    with _consistent_read():
        for number, model in enumerate(dumped_models(), start=1):
            label = model._meta.label_lower
            path = folder / "database" / f"{number:03d}-{label}.jsonl"
            count = 0
            with path.open("w", encoding="utf-8") as out:
                for row in _rows(model):
                    out.write(json.dumps(row, default=_encode, ensure_ascii=False) + "\n")
                    count += 1
            manifest.counts[label] = count
    media_root = Path(settings.MEDIA_ROOT)
    for relative in media_files(media_root):
        target = folder / "media" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(media_root / relative, target)
    for key in key_files():
        (folder / "keys").mkdir(exist_ok=True)
        shutil.copy2(key, folder / "keys" / key.name)
        (folder / "keys" / key.name).chmod(0o600)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        manifest.files[path.relative_to(folder).as_posix()] = _sha256(path)
    text = manifest.as_json()
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return Outcome(folder, manifest, hashlib.sha256(text.encode()).hexdigest())


# --- restore ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> tuple[Manifest, str]:
    """The backup's manifest after checking every file against it; BackupError otherwise."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(folder)s holds no manifest.json: not a backup.") % {"folder": folder}
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        manifest = Manifest(**data)
    except (ValueError, TypeError) as error:
        raise BackupError(_("The manifest cannot be read: %(error)s") % {"error": error}) from None
    if manifest.format != FORMAT:
        raise BackupError(
            _("Backup format %(found)s is not supported (expected %(expected)s).")
            % {"found": manifest.format, "expected": FORMAT}
        )
    on_disk = {p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file()}
    problems = []
    for name in sorted(on_disk - set(manifest.files) - {MANIFEST}):
        problems.append(_("%(name)s is not in the manifest") % {"name": name})
    for name, expected in sorted(manifest.files.items()):
        if name not in on_disk:
            problems.append(_("%(name)s is missing") % {"name": name})
        elif _sha256(Path(folder) / name) != expected:
            problems.append(_("%(name)s does not match its checksum") % {"name": name})
    if problems:
        raise BackupError(
            _("The backup has been altered or damaged; nothing was restored: %(problems)s.")
            % {"problems": "; ".join(problems[:10])}
        )
    return manifest, hashlib.sha256(text.encode()).hexdigest()


def is_in_use() -> bool:
    """Whether the database holds work: accounts or audit entries (a fresh `migrate` has none)."""
    from django.contrib.auth import get_user_model

    from parindex.core.models import AuditEntry

    return get_user_model().objects.exists() or AuditEntry.objects.exists()


def _check_target(manifest: Manifest, *, force: bool) -> None:
    here = applied_migrations()
    if here != manifest.migrations:
        missing = sorted(set(manifest.migrations) - set(here))
        extra = sorted(set(here) - set(manifest.migrations))
        raise BackupError(
            _(
                "The database's migrations differ from the backup's (missing: %(missing)s; "
                "not in the backup: %(extra)s). Install the parindex version %(version)s and "
                "run its migrations before restoring."
            )
            % {
                "missing": ", ".join(missing[:5]) or "—",
                "extra": ", ".join(extra[:5]) or "—",
                "version": manifest.parindex_version,
            }
        )
    media = media_files(Path(settings.MEDIA_ROOT))
    if not force and (is_in_use() or media):
        raise BackupError(
            _(
                "The database or MEDIA_ROOT is not empty; restoring would replace everything "
                "in it. Restore into a new database, or add --force to replace it."
            )
        )
    labels = {model._meta.label_lower for model in dumped_models()}
    unknown = sorted(set(manifest.counts) - labels)
    if unknown:
        raise BackupError(
            _("The backup holds tables this version does not know: %(tables)s.")
            % {"tables": ", ".join(unknown)}
        )


def key_files_in(manifest: Manifest) -> list[str]:
    return sorted(name for name in manifest.files if name.startswith("keys/"))


def _load_rows(folder: Path, manifest: Manifest) -> dict[str, int]:
    """Insert every row of the backup; the count of rows per table."""
    by_label = {model._meta.label_lower: model for model in dumped_models()}
    counts: dict[str, int] = {}
    for name in sorted(n for n in manifest.files if n.startswith("database/")):
        label = name.split("-", 1)[1].removesuffix(".jsonl")
        model = by_label[label]
        batch: list[models.Model] = []
        counts[label] = 0
        with (folder / name).open(encoding="utf-8") as rows:
            for line in rows:
                batch.append(_instance(model, json.loads(line)))
                if len(batch) >= CHUNK_ROWS:
                    model._base_manager.bulk_create(batch)
                    counts[label] += len(batch)
                    batch = []
        model._base_manager.bulk_create(batch)
        counts[label] += len(batch)
    return counts


@contextmanager
def _stored_timestamps() -> Iterator[None]:
    """bulk_create would stamp auto_now(_add) fields with the present: keep the backup's."""
    switched: list[Any] = [  # date and time fields: Field does not declare auto_now
        model_field
        for model in dumped_models()
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in switched]
    for model_field in switched:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in flags:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _empty_tables() -> None:
    """Delete every row of every backed-up table (foreign keys are checked at commit).

    DELETE rather than TRUNCATE: PostgreSQL refuses to truncate a table with pending
    constraint checks from earlier statements of the same transaction.
    """
    skipped = [apps.get_model(label) for label in SKIPPED_MODELS if _installed(label)]
    with connection.cursor() as cursor:
        for model in [*skipped, *reversed(dumped_models())]:  # sessions too: all log in again
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def dangling_references(models_: list[type[models.Model]]) -> list[str]:
    """The foreign keys the database does not check (`db_constraint=False`, decision 36) that
    point at a missing row, as "table.column": one anti-join each."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for model in models_:
            for fk in model._meta.concrete_fields:
                if not isinstance(fk, models.ForeignKey) or getattr(fk, "db_constraint", True):
                    continue
                table, column = model._meta.db_table, str(fk.column)
                target, key = fk.target_field.model._meta.db_table, str(fk.target_field.column)
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} c LEFT JOIN {quote(target)} p "
                    f"ON p.{quote(key)} = c.{quote(column)} "
                    f"WHERE c.{quote(column)} IS NOT NULL AND p.{quote(key)} IS NULL LIMIT 1"
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column}")
    return found


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def restore_backup(folder: Path, *, force: bool = False) -> Outcome:
    """Replace the database, the evidence files and the keys with the backup's, all or nothing."""
    folder = Path(folder)
    manifest, manifest_sha = read_manifest(folder)
    _check_target(manifest, force=force)
    var_dir = Path(settings.VAR_DIR)
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root / f".restore-{uuid.uuid4().hex}"
    media = sorted(n for n in manifest.files if n.startswith("media/"))
    try:
        for name in media:
            target = staging / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, target)
        with transaction.atomic():
            _empty_tables()
            with _stored_timestamps():
                counts = _load_rows(folder, manifest)
            if counts != manifest.counts:
                raise BackupError(
                    _("The rows read differ from the manifest's counts; nothing was restored.")
                )
            dangling = dangling_references(dumped_models())
            if dangling:
                raise BackupError(
                    _(
                        "The backup refers to rows it does not hold (%(fields)s); nothing was "
                        "restored."
                    )
                    % {"fields": ", ".join(dangling)}
                )
            _reset_sequences()
            _record_restore(manifest, manifest_sha)
        for name in media:
            relative = name.removeprefix("media/")
            (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, media_root / relative)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _put_keys(folder, manifest, var_dir)
    return Outcome(folder, manifest, manifest_sha)


def _put_keys(folder: Path, manifest: Manifest, var_dir: Path) -> None:
    """The backup's keys go where the data expects them; a different key is kept aside.

    (A new server generates its own secret_key at first start; the restored data needs the old
    one, and published snapshots can only be verified with their publication_key.)
    """
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    var_dir.mkdir(parents=True, exist_ok=True)
    for name in key_files_in(manifest):
        source, target = folder / name, var_dir / Path(name).name
        if target.exists() and target.read_bytes() != source.read_bytes():
            os.replace(target, target.with_name(f"{target.name}.before-restore-{stamp}"))
        shutil.copy2(source, target)
        target.chmod(0o600)


def _record_restore(manifest: Manifest, manifest_sha: str) -> None:
    from parindex.core import services

    services.set_setting(
        key="restored_from",
        value={"created_at": manifest.created_at, "manifest_sha256": manifest_sha},
        by=None,
        reason=_("Restored from a backup"),
    )
