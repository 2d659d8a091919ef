"""The canonical YAML file of an index set (docs/design.md, "Interchange formats"): read, write.

The engine defines the canonical content (`to_spec`); this module only lays it out as the
shipped samples are laid out: block style, criterion codes in double quotes, rules and bands in
flow style, other text plain unless YAML needs quotes (then double quotes), no line wrapping.
Each branch also states its `max_points` just before its children, as the samples do, so a
reader sees the maximum of every area and criterion; the engine reads both forms alike.
So YAML → import → export YAML gives back the sample files byte for byte.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from parindex.engine import Criterion, IndexSet, to_spec
from parindex.indexsets.problems import IndexSetRefused


class _Quoted(str):
    """A string always written in double quotes (criterion codes: "1.10" must stay text)."""


class _Flow(dict):
    """A mapping written on one line: {type: choice, options: [...]}."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key ("criteria:\n  - code: ...") as the samples do.
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Dumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, '"')
)
_Dumper.add_representer(
    _Flow,
    lambda dumper, value: dumper.represent_mapping(
        "tag:yaml.org,2002:map", value.items(), flow_style=True
    ),
)


def _node_layout(spec: dict[str, Any], node: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "max_points" and node.children:
            continue  # stated just before the children, below
        if key == "code":
            out[key] = _Quoted(value)
        elif key == "rule":
            out[key] = _Flow(value)
        elif key == "children":
            out["max_points"] = spec.get("max_points", _number(node))
            out[key] = [
                _node_layout(child_spec, child)
                for child_spec, child in zip(value, node.children, strict=True)
            ]
        else:
            out[key] = value
    return out


def _number(node: Criterion) -> int | float:
    """The node's maximum written like `to_spec` writes numbers (2, 0.5)."""
    value = node.max_points
    return int(value) if value == value.to_integral_value() else float(value)


def dump_yaml(index_set: IndexSet) -> str:
    """The canonical YAML text of an index set."""
    spec = to_spec(index_set)
    spec["bands"] = [_Flow(band) for band in spec["bands"]]
    spec["criteria"] = [
        _node_layout(node_spec, node)
        for node_spec, node in zip(spec["criteria"], index_set.criteria, strict=True)
    ]
    return yaml.dump(
        spec,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
    )


def load_yaml(data: bytes) -> Any:
    """The document in a YAML file, or IndexSetRefused saying where the syntax breaks."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndexSetRefused([_("The file is not UTF-8 text; save it as UTF-8 YAML.")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = (
            _("line %(line)d, column %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        raise IndexSetRefused(
            [
                _("The YAML file cannot be read (%(where)s): %(problem)s")
                % {
                    "where": where,
                    "problem": error.problem or "",
                }
            ]
        ) from None
    except yaml.YAMLError:
        raise IndexSetRefused([_("The YAML file cannot be read.")]) from None
