"""Reading and writing the canonical index-set spec (the dict behind the YAML and XLSX forms).

`parse_index_set` checks everything and reports every problem at once; `to_spec` writes the
canonical form back, so that `to_spec(parse_index_set(spec)) == spec` for a canonical spec.
"""

from __future__ import annotations

from parindex.engine.spec.reader import parse_index_set, validate_index_set
from parindex.engine.spec.writer import to_spec

__all__ = ["parse_index_set", "to_spec", "validate_index_set"]
