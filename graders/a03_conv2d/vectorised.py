"""Is a student's conv2d_im2col vectorised? A check of its code combined with a timing bound.

Timing alone is fragile: on a loaded 2-core machine single timings vary tenfold. Code alone is too
strict: a loop over the few kernel taps is a fine vectorised solution. So:

1. `loops_reached` lists the Python-level loops in the function and in every student function it
   calls (for/while loops, comprehensions, and helpers that loop in Python such as `np.vectorize`
   or `map`). Code without any is vectorised, whatever the timing says.
2. Only when loops exist, `per_pixel_seconds` measures the cost per output pixel (best of several
   calls of a large and a small probe, timed inside the kernel). The probe has one channel and a
   2x2 kernel, so a vectorised solution costs a few hundredths of a microsecond per pixel while any
   Python-level iteration per pixel costs a microsecond or more (more still under the grader's
   profiler hook). The bound sits an order of magnitude from both.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Calls that run a Python function once per element.
LOOPING_CALLS = {"vectorize", "apply_along_axis", "apply_over_axes", "frompyfunc", "fromiter", "map"}

_KIND = {ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
         ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
         ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def loops_reached(functions: dict[str, ast.FunctionDef], name: str) -> list[str]:
    """Descriptions of the Python-level loops in `name` and the student functions it calls."""
    found: list[str] = []
    todo, done = [name], set()
    while todo:
        current = todo.pop(0)
        if current in done or current not in functions:
            continue
        done.add(current)
        for node in ast.walk(functions[current]):
            if isinstance(node, LOOP_NODES):
                found.append(f"{_KIND[type(node)]} in {current}, line {node.lineno}")
            elif isinstance(node, ast.Call) and _called_name(node) in LOOPING_CALLS:
                found.append(f"{_called_name(node)}() in {current}, line {node.lineno}")
            if isinstance(node, ast.Name) and node.id in functions:
                todo.append(node.id)
    return found


def per_pixel_seconds(seconds_of: Callable[[np.ndarray], float | None], big: np.ndarray, small: np.ndarray,
                      kernel_hw: tuple[int, int], repeats: int) -> float:
    """Marginal seconds per output pixel: (best time on `big` - best on `small`) / extra pixels.

    The difference removes the fixed cost of a call (argument conversion, the profiler hook).
    """
    def pixels(images: np.ndarray) -> int:
        n, h, w = images.shape[:3]
        return n * (h - kernel_hw[0] + 1) * (w - kernel_hw[1] + 1)

    best_big = best_small = float("inf")
    for _ in range(repeats):
        best_big = min(best_big, seconds_of(big) or 0.0)
        best_small = min(best_small, seconds_of(small) or 0.0)
    return max(best_big - best_small, 0.0) / (pixels(big) - pixels(small))
