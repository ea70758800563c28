"""The kernel side of the bridge is a real module, sent to the kernel as source: it must stand alone
(nothing of the course inside a sandbox that cannot see the course) and define only `_convlab` names
in the student's namespace."""

from __future__ import annotations

import ast

import numpy as np

from convlab.runtime import kernel_side
from convlab.runtime.bridge import KERNEL_BOOTSTRAP, FunctionSpec


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


def test_callable_arguments_are_the_same_function_on_both_sides():
    t = np.linspace(-2, 3, 11)
    spec = FunctionSpec("gaussian", {"mu": 0.5, "sigma": 0.7})
    np.testing.assert_array_equal(spec(t), kernel_side._convlab_make_callable("gaussian", spec.params)(t))
