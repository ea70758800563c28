"""Reading a student's code without running it: which names each function uses, which of the
student's own functions it reaches. Used for banned-library rules and for `relies_on` callers."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def referenced_names(fn: ast.AST) -> tuple[set[str], set[str]]:
    """(bare names, attribute and imported names) a function's code refers to."""
    names: set[str] = set()
    qualified: set[str] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            qualified.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module:
                qualified.update(node.module.split("."))
            for alias in node.names:
                qualified.update(alias.name.split("."))
    return names, qualified


def reachable(functions: dict[str, ast.FunctionDef], name: str) -> Iterator[str]:
    """`name` and every student function it refers to, directly or through others."""
    todo, done = [name], set()
    while todo:
        current = todo.pop()
        if current in done or current not in functions:
            continue
        done.add(current)
        yield current
        names, _ = referenced_names(functions[current])
        todo.extend(n for n in names if n in functions)


def calls_function(functions: dict[str, ast.FunctionDef], caller: str, function: str) -> bool:
    """Whether the student's `caller` refers to their `function`, directly or through their other
    functions (a static reading of the code: the names each function's body uses)."""
    return any(function in referenced_names(functions[current])[0]
               for current in reachable(functions, caller) if current != function)


def dotted_chains(fn: ast.AST) -> list[tuple[str, int]]:
    """(dotted name, line) of every maximal name chain in a function: `np.convolve`, `signal`, ..."""
    inner: set[int] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    chains = []
    for node in ast.walk(fn):
        if isinstance(node, (ast.Attribute, ast.Name)) and id(node) not in inner:
            try:
                text = ast.unparse(node)
            except Exception:  # noqa: BLE001 - odd nodes are not name chains
                continue
            chains.append((text, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module:
            chains.extend((f"from {node.module} import {a.name}", node.lineno) for a in node.names)
        elif isinstance(node, ast.Import):
            chains.extend((f"import {a.name}", node.lineno) for a in node.names)
    return chains
