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
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be 'true' or 'false'"):
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


def test_a_missing_key_is_generated_once_into_var_readable_by_the_owner_only(monkeypatch, tmp_path):
    import config.settings as config

    monkeypatch.setattr(config, "VAR_DIR", tmp_path / "var")
    monkeypatch.delenv("PUBLICATION_KEY", raising=False)
    key = config._kept_key("PUBLICATION_KEY", "publication_key")
    stored = tmp_path / "var" / "publication_key"
    assert len(key) > 40 and stored.read_text() == key
    assert stored.stat().st_mode & 0o777 == 0o600
    assert config._kept_key("PUBLICATION_KEY", "publication_key") == key


def test_a_key_from_the_environment_wins_and_nothing_is_written(monkeypatch, tmp_path):
    import config.settings as config

    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    monkeypatch.setenv("PUBLICATION_KEY", "from-the-environment")
    assert config._kept_key("PUBLICATION_KEY", "publication_key") == "from-the-environment"
    assert not (tmp_path / "publication_key").exists()
