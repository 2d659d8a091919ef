"""The shared cache: REDIS_URL switches it to Redis (README, Configuration)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS = ("127.0.0.1", 6379)

# Loads the production settings and writes, reads and deletes one key through Django's cache.
ROUND_TRIP = """
import django
django.setup()
from django.core.cache import caches
cache = caches["default"]
key, value = "parindex-test:" + {token!r}, {token!r}
cache.set(key, value, 30)
print(type(cache).__name__, cache.get(key) == value)
cache.delete(key)
print(cache.get(key) is None)
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_redis_url_makes_the_cache_redis_and_it_works(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/15",
        "PARINDEX_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    run = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP.format(token=uuid.uuid4().hex)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["RedisCache", "True", "True"]


def test_without_redis_url_the_cache_is_the_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PARINDEX_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("REDIS_URL", None)
    script = "import django; django.setup(); from django.conf import settings; "
    script += "print(settings.CACHES['default']['BACKEND'])"
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
