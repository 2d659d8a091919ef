"""Every key of an audited value has a label, so the history reads "Điểm tối đa: 2", never
"max points: 2" (issue 14)."""

from __future__ import annotations

import ast
import functools

from parindex.core import registry
from parindex.core.tests.test_history import is_recorder, recording_modules

# The recorder arguments that name the actor and the object rather than carry values.
NOT_VALUES = {"by", "object_type", "object_id", "object_repr", "reason", "action"}

Function = ast.FunctionDef | ast.AsyncFunctionDef


class Keys:
    """The literal keys a value expression can carry in one module: keys of dict literals and
    `dict(...)` keywords, followed through the enclosing function's assignments, the module's
    functions and methods it calls, and the module's constant lists of field names. Each
    expression is followed once: the keys are gathered per module, not per call."""

    def __init__(self, module: ast.Module) -> None:
        self.functions: dict[str, list[Function]] = {}
        for node in ast.walk(module):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, []).append(node)
        self.constants = {
            target.id: node.value
            for node in module.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        self.seen: set[int] = set()

    def of(self, expression: ast.AST, function: Function | None) -> set[str]:
        if id(expression) in self.seen:
            return set()
        self.seen.add(id(expression))
        found: set[str] = set()
        # Message formatting (`_("…%(n)d") % {"n": …}`) is words, not a stored value; an item
        # or attribute (`response["File"]`, `task.code`) does not carry its holder's keys.
        skipped = set()
        for node in ast.walk(expression):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
                skipped.add(id(node.right))
            elif isinstance(node, (ast.Subscript, ast.Attribute)):
                skipped.add(id(node.value))
        stack = [expression]
        while stack:
            node = stack.pop()
            if id(node) in skipped:
                continue
            stack.extend(ast.iter_child_nodes(node))
            if isinstance(node, ast.Dict):
                found |= {
                    key.value
                    for key in node.keys
                    if isinstance(key, ast.Constant) and isinstance(key.value, str)
                }
            elif isinstance(node, ast.Call):
                if getattr(node.func, "id", "") == "dict":
                    found |= {keyword.arg for keyword in node.keywords if keyword.arg}
                called = getattr(node.func, "attr", getattr(node.func, "id", ""))
                for callee in self.functions.get(called, []):
                    for part in ast.walk(callee):
                        if isinstance(part, ast.Return) and part.value is not None:
                            found |= self.of(part.value, callee)
            elif isinstance(node, ast.Name):
                found |= self.name(node.id, function)
        return found

    def name(self, name: str, function: Function | None) -> set[str]:
        found: set[str] = set()
        local = False
        for node in ast.walk(function) if function else ():
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    names = [part.id for part in ast.walk(target) if isinstance(part, ast.Name)]
                    if isinstance(target, ast.Subscript):
                        key = target.slice
                        if names[:1] == [name] and isinstance(key, ast.Constant):
                            found.add(str(key.value))
                    elif name in names:
                        local = True
                        found |= self.of(node.value, function)
        constant = self.constants.get(name)
        if not local and constant is not None:
            if isinstance(constant, (ast.Tuple, ast.List, ast.Set)):
                found |= {
                    item.value
                    for item in constant.elts
                    if isinstance(item, ast.Constant) and isinstance(item.value, str)
                }
            found |= self.of(constant, None)
        return found


@functools.cache
def audited_keys() -> dict[str, frozenset[str]]:
    """Every literal key of the values the code records, with the modules that record it."""
    modules: dict[str, set[str]] = {}
    for path, module in recording_modules():
        keys = Keys(module)
        for function in ast.walk(module):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for call in ast.walk(function):
                if not is_recorder(call):
                    continue
                assert isinstance(call, ast.Call)
                for keyword in call.keywords:
                    if keyword.arg not in NOT_VALUES:
                        for key in keys.of(keyword.value, function):
                            modules.setdefault(key, set()).add(path)
    return {key: frozenset(paths) for key, paths in modules.items()}


def test_the_scan_finds_the_keys_of_audited_values():
    keys = audited_keys()
    assert len(keys) > 100
    # Inline dicts, dicts built before the call, a module's field list and a method's dict.
    assert {"kept_na", "hmac", "max_points", "lead", "two_factor"} <= set(keys)
    assert "n" not in keys  # a message's placeholders are no stored value


def test_every_audited_key_has_a_label():
    missing = {
        key: sorted(paths)
        for key, paths in sorted(audited_keys().items())
        if key not in registry.audit_field_labels
    }
    assert missing == {}, "unlabelled keys of audited values: " + ", ".join(missing)
