"""Demo index sets: the six illustrative samples shipped in `samples/`, imported as published."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from parindex.indexsets import files, services

SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_FILES = [
    "tinh-2024.yaml",
    "so-2024.yaml",
    "huyen-2024.yaml",
    "xa-2024.yaml",
    "tw-2024.yaml",
    "xa-2026.yaml",
]


def load(world: SimpleNamespace) -> None:
    """Import every sample set (published); a set already loaded is left as it is."""
    world.index_sets = {}
    for name in SAMPLE_FILES:
        path = SAMPLES / name
        source = files.read_index_set_file(path.read_bytes(), path.name)
        result = services.import_index_set(source=source, by=None)
        world.index_sets[source.code] = result.index_set
