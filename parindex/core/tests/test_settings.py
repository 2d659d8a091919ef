from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False), ("", False)])
def test_env_bool_accepts_only_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", False) is expected


@pytest.mark.parametrize("raw", ["1", "yes", "True", "on"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-long-production-secret-key-that-is-random-" + "x" * 30,
        "HTTPS": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "cchc.example.gov.vn",
        "PARINDEX_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout
