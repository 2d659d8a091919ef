"""Test settings: fast hashing, in-memory e-mail, a throwaway MEDIA_ROOT."""

from __future__ import annotations

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="parindex-media-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "vi"
# Jobs run in-process, at once (tests that need the worker start `db_worker` themselves).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_HEARTBEAT_SECONDS = 0
# WhiteNoise looks a static file up when it is asked for rather than listing every app's static
# files when its middleware starts: each test client starts the middleware anew (4 ms each).
WHITENOISE_AUTOREFRESH = True
