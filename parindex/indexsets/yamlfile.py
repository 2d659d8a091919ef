"""The canonical YAML file of an index set (docs/design.md, "Interchange formats"): read, write.

The engine defines the canonical content (`to_spec`); this module only lays it out as the
shipped samples are laid out: block style, criterion codes in double quotes, rules and bands in
flow style, other text plain unless YAML needs quotes (then double quotes), no line wrapping.
Each branch also states its `max_points` just before its children, as the samples do, so a
reader sees the maximum of every area and criterion; the engine reads both forms alike.
So YAML → import → export YAML gives back the sample files byte for byte.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _
from yaml.composer import Composer

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
    """The document in a YAML file, or IndexSetRefused saying where the syntax breaks (or
    which limit a hostile file passed)."""
    if len(data) > YAML_MAX_BYTES:
        raise IndexSetRefused(
            [
                _("The YAML file is larger than %(limit)s MB, far larger than an index set.")
                % {"limit": YAML_MAX_BYTES // (1024 * 1024)}
            ],
            code="index_set_file.too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndexSetRefused(
            [_("The file is not UTF-8 text; save it as UTF-8 YAML.")],
            code="index_set_file.not_utf8",
        ) from None
    try:
        return _load_bounded(text)
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
            ],
            code="index_set_file.yaml_syntax",
        ) from None
    except yaml.YAMLError:
        raise IndexSetRefused(
            [_("The YAML file cannot be read.")], code="index_set_file.yaml_syntax"
        ) from None
    except RecursionError:
        raise _too_deep() from None


def _too_deep() -> IndexSetRefused:
    return IndexSetRefused(
        [_("The YAML file is nested too deeply to be an index set.")],
        code="index_set_file.too_deep",
    )


# A real index set has a few thousand nodes; aliases (&a … *a) can make a 1 KB file stand for
# billions of them (the "billion laughs"), which any walk over the document would then visit.
NODE_BUDGET = 200_000
# The shipped samples are under 50 KB and nest flow collections ([…], {…}) two deep. PyYAML's
# pure-Python scanner read about a megabyte a second and slowed down quadratically with flow
# nesting (5,000 "[" took 20 s), so both are bounded before any scanner sees the text.
YAML_MAX_BYTES = 1024 * 1024
FLOW_DEPTH_MAX = 50
_FLOW = re.compile(r"[\[\]{}]")


class _TooManyNodes(Exception):
    pass


class _Loader(Composer, yaml.CSafeLoader):
    """yaml.SafeLoader with libyaml's scanner and parser (six times faster: the demo and every
    import read the samples) and PyYAML's own composer, which stops a deeply nested document
    with a RecursionError (refused as too deep) before libyaml's nesting limit would."""

    def __init__(self, text: str) -> None:
        yaml.CSafeLoader.__init__(self, text)
        Composer.__init__(self)


def _load_bounded(text: str) -> Any:
    """yaml.safe_load, refusing a document that stands for more than NODE_BUDGET nodes once its
    aliases are expanded, or that refers to itself, before anything is built from it."""
    if _flow_depth(text) > FLOW_DEPTH_MAX:
        raise _too_deep()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            _expanded_size(node, NODE_BUDGET)
        except _TooManyNodes:
            raise IndexSetRefused(
                [
                    _(
                        "The YAML file stands for more than %(limit)s values once its aliases "
                        "(&name … *name) are expanded, far more than an index set has; it was "
                        "refused without being expanded."
                    )
                    % {"limit": f"{NODE_BUDGET:,}".replace(",", ".")}
                ],
                code="index_set_file.too_many_values",
            ) from None
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _flow_depth(text: str) -> int:
    """The deepest nesting of brackets and braces (quotes ignored: an overestimate at worst)."""
    depth = deepest = 0
    for match in _FLOW.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _expanded_size(root: yaml.Node, budget: int) -> int:
    """How many nodes the document has with every alias expanded, counted without expanding
    (each node's size is computed once); _TooManyNodes past the budget or on a cycle."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > budget:
                raise _TooManyNodes
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in on_path:  # an alias to one of its own ancestors: infinitely large
            raise _TooManyNodes
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
