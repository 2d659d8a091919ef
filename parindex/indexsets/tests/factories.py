"""Index sets for tests: the shipped samples, imported through the service like a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parindex.indexsets import files, services
from parindex.indexsets.models import IndexSet
from parindex.units.tests.factories import unit_type

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.yaml"))


def sample_bytes(name: str = "so-2024.yaml") -> bytes:
    return (SAMPLES / name).read_bytes()


def sample_set(name: str = "so-2024.yaml", *, draft: bool = False, by: Any = None) -> IndexSet:
    """Import a shipped sample (published unless `draft`)."""
    source = files.read_index_set_file(sample_bytes(name), name)
    unit_type(source.unit_type)
    return services.import_index_set(source=source, by=by, draft=draft).index_set


SMALL_YAML = (Path(__file__).resolve().parent / "data" / "small.yaml").read_text("utf-8")


def small_set(*, draft: bool = False, text: str = SMALL_YAML, by: Any = None) -> IndexSet:
    """A tiny set (2 areas, 3 leaves), published unless `draft`."""
    unit_type("SO")
    source = files.read_index_set_file(text.encode(), "small.yaml")
    return services.import_index_set(source=source, by=by, draft=draft).index_set
