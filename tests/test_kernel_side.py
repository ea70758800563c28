"""The kernel side of the bridge is a real module, sent to the kernel as source: it must stand alone
(nothing of the course inside a sandbox that cannot see the course) and define only `_convlab` names
in the student's namespace."""

from __future__ import annotations

import ast
import importlib

import numpy as np

from convlab import course
from convlab.registration import KERAS, Registration
from convlab.runtime.bridge import KERNEL_BOOTSTRAP
from graders import CALLABLES
from graders.callables import FunctionSpec


def test_it_imports_nothing_of_the_course():
    tree = ast.parse(KERNEL_BOOTSTRAP)
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not modules & {"graders", "solutions", "tests"}, modules


def test_it_defines_only_convlab_names_at_top_level():
    namespace: dict = {}
    exec(compile(KERNEL_BOOTSTRAP, "kernel_side.py", "exec"), namespace)  # noqa: S102 - our own module
    defined = {k for k in namespace if k != "__builtins__" and k != "__doc__"}
    assert defined and all(k.startswith(("_convlab", "__convlab")) for k in defined), defined


def test_kernel_extensions_import_nothing_of_the_course():
    for extension in (CALLABLES, KERAS):
        tree = ast.parse(extension.source())
        modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}
        modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert not modules & {"convlab", "graders", "solutions", "tests"}, (extension.module, modules)


def test_an_installed_extension_rebuilds_wire_arguments_like_the_grading_side():
    namespace: dict = {}
    exec(compile(KERNEL_BOOTSTRAP, "kernel_side.py", "exec"), namespace)  # noqa: S102 - our own module
    exec(Registration(kernel_extensions=(CALLABLES,)).kernel_code(), namespace)  # noqa: S102
    spec = FunctionSpec("exp_decay", {"rate": 1.5})
    kind, payload = spec.wire()
    rebuilt = namespace["_convlab_decode"]({"__kind__": kind, "payload": payload}, ".")
    t = np.linspace(-2, 3, 11)
    np.testing.assert_array_equal(rebuilt(t), spec(t))
    assert not isinstance(rebuilt, FunctionSpec)  # the kernel gets a plain function


def test_every_assignment_registers_what_its_checks_read():
    """A table whose recorded calls a check reads must be registered (else the kernel records none);
    every grader module passes such tables by name, or none: then the one table its assignment
    registers (the engine has no default table; `convlab.checking.banned` says so at run time too)."""
    for assignment in course.assignments():
        registration = assignment.registration()
        for path in assignment.graders_dir.glob("grade_*.py"):
            module = importlib.import_module(f"{assignment.graders_package}.{path.stem}")
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in READERS):
                    continue
                recorded_at, table_at = READERS[node.func.id]
                recorded = node.args[recorded_at] if len(node.args) > recorded_at else None
                if isinstance(recorded, ast.Tuple) and not recorded.elts:
                    continue  # static reading only
                table = node.args[table_at] if len(node.args) > table_at else next(
                    (k.value for k in node.keywords if k.arg == "banned"), None)
                if table is None:
                    assert len(registration.banned) == 1, (path, ast.unparse(node), "pass banned=: which table?")
                    words = registration.banned[0]
                else:
                    words = getattr(module, ast.unparse(table))
                assert any(words is t for t in registration.banned) or set(
                    w for ws in words.values() for w in ws) <= registration.watched_words, (path, ast.unparse(node))


# Each reader of recorded calls: (position of the recorded calls, position of the table) in its arguments.
READERS = {"banned_calls": (2, 3), "banned_library_use": (2, 3), "expect_without_library": (2, 99)}
