"""A value derived from the data is built once per key, kept in the shared cache."""

from __future__ import annotations

from parindex.core import revisions


def test_a_value_is_built_once_per_key_even_when_it_is_none():
    built: list[str] = []

    def build(value):
        def make():
            built.append(value)
            return None if value == "none" else value

        return make

    assert revisions.cached("k:a", build("a")) == "a"
    assert revisions.cached("k:a", build("other")) == "a"
    assert revisions.cached("k:none", build("none")) is None
    assert revisions.cached("k:none", build("again")) is None
    assert built == ["a", "none"]
