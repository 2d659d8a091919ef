"""The checks behind /healthz: each returns True when its part of the system works.

They log why they failed (for the operator) but the probe's answer names only the check.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    """The database runs a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health: the database does not answer", exc_info=True)
        return False


def media_writable() -> bool:
    """A small file can be written to MEDIA_ROOT and removed (the disk is not full or read-only)."""
    try:
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
        return True
    except OSError:
        logger.warning("health: MEDIA_ROOT is not writable", exc_info=True)
        return False


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "media": media_writable,
}
