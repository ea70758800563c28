"""The engine stays readable: every module of `convlab/` under 400 lines, every function under 60,
and pytest's private names used in one adapter module only (issue 13's measures)."""

from __future__ import annotations

import ast
from pathlib import Path

import convlab

ENGINE = Path(convlab.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def test_modules_and_functions_are_small():
    too_long = []
    for path in _modules():
        text = path.read_text()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ENGINE)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ENGINE)}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, too_long


def test_private_pytest_names_only_in_the_adapter():
    users = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                base = ast.unparse(node.value)
                if base.startswith(("pytest", "_pytest")) or node.attr in ("_fixtureinfo", "_request", "_obj"):
                    users.append(f"{path.relative_to(ENGINE)}:{node.lineno} {ast.unparse(node)}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("_pytest"):
                users.append(f"{path.relative_to(ENGINE)}:{node.lineno} from {node.module}")
    assert all(u.startswith("runner/pytest_adapter.py") for u in users), users
