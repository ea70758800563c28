"""Grading corpus entries: which task a check belongs to, which tasks an entry can reach, and batches
of entries in one notebook.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from pathlib import Path
from types import ModuleType

from convlab.dev.corpus import CorpusEntry, with_answer
from convlab.results import NotebookResult
from support.grading import NOTEBOOKS, grade_nb, reference_of

# Assignments whose corpus needs models trained per entry test it in their own module.
OWN_CORPUS_TEST = {"05_keras_cnn", "06_object_detection", "07_segmentation"}


# Assignments whose notebook imports TensorFlow: graded in batches.
BATCHED = {"01_image_tasks", "03_conv2d", "04_stacked_convs"}


# Graded corpus notebooks, by their entries (a batch shared by two tests is graded once).
_RESULTS: dict[tuple[str, ...], NotebookResult] = {}


def reference_module(assignment: str) -> ModuleType:
    return importlib.import_module(f"solutions.{NOTEBOOKS[assignment]}")


@functools.cache
def functions_of(assignment: str) -> tuple[str, ...]:
    ref = reference_module(assignment)
    return tuple(n for n, f in vars(ref).items() if inspect.isfunction(f) and f.__module__ == ref.__name__)


def function_of(assignment: str, check_id: str) -> str:
    """The task a check grades: the longest function name its id starts with."""
    return max((f for f in functions_of(assignment) if check_id.startswith(f + "_")), key=len)


@functools.cache
def depends_on(assignment: str, function: str) -> frozenset[str]:
    """`function` and the reference functions that call it, directly or not."""
    ref = reference_module(assignment)
    users, grew = {function}, True
    while grew:
        grew = False
        for name in functions_of(assignment):
            tree = ast.parse(inspect.getsource(getattr(ref, name)))
            if name not in users and any(isinstance(n, ast.Name) and n.id in users for n in ast.walk(tree)):
                users.add(name)
                grew = True
    return frozenset(users)


def reach(assignment: str, entry: CorpusEntry) -> frozenset[str]:
    """Tasks whose checks the entry may change: its own and its callers, plus the tasks its code
    calls (their answers, possibly another entry's, feed its results)."""
    called = {n.id for n in ast.walk(ast.parse(entry.code)) if isinstance(n, ast.Name)}
    return depends_on(assignment, entry.function) | (called & set(functions_of(assignment)) - {entry.function})


def batches(assignment: str, entries: list[CorpusEntry]) -> list[list[CorpusEntry]]:
    """Greedy grouping: an entry joins the first batch whose reach its own reach misses."""
    groups: list[tuple[set[str], list[CorpusEntry]]] = []
    for entry in entries:
        mine = reach(assignment, entry)
        for used, group in groups:
            if not mine & used:
                used |= mine
                group.append(entry)
                break
        else:
            groups.append((set(mine), [entry]))
    return [group for _, group in groups]


def grade_entries(assignment: str, group: list[CorpusEntry], tmp_path: Path, cached: bool = True) -> NotebookResult:
    """The reference notebook with the group's answers in their cells, graded (cached per group)."""
    key = (assignment, *(e.name for e in group))
    if cached and key in _RESULTS:
        return _RESULTS[key]
    nb = reference_of(assignment)
    for entry in group:
        nb = with_answer(nb, entry.function, entry.code)
    result = grade_nb(nb, tmp_path, assignment=assignment)
    _RESULTS.setdefault(key, result)
    return result

