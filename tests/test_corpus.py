"""The corpus of student answers, for every assignment with a `tests/corpus/<assignment>/` folder:
each typical mistake loses points on the right checks with a message naming it; each
correct-but-different answer (`tests/corpus/<assignment>_correct/`) gets full marks.

A check belongs to the reference function whose name is the longest prefix of the check id. A
mistake may only cost points on checks of its own function and of reference functions calling it
(its "reach"); every other check keeps full marks.

Notebooks that import TensorFlow cost about 5 s of CPU per grading, so their corpus is graded in
batches: one notebook holds several answers whose reaches are disjoint (no shared task, no task
calling another's, no entry calling another's task), and each entry is judged on its own checks.
A batch can only hide collateral damage an entry does inside another entry's reach; the per-entry
mode, used for the fast assignments, checks that too.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from pathlib import Path
from types import ModuleType

import pytest
from conftest import NOTEBOOKS, grade_nb, reference_of, scores_by_check

from convlab.dev.corpus import CorpusEntry, corpus, with_answer
from convlab.results import NotebookResult
from convlab.settings import REPO_ROOT

# Assignments whose corpus needs models trained per entry test it in their own module.
OWN_CORPUS_TEST = {"05_keras_cnn", "06_object_detection", "07_segmentation"}
# Assignments whose notebook imports TensorFlow: graded in batches.
BATCHED = {"01_image_tasks", "03_conv2d", "04_stacked_convs"}
ASSIGNMENTS = [a for a in NOTEBOOKS if (REPO_ROOT / "tests" / "corpus" / a).is_dir() and a not in OWN_CORPUS_TEST]


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


def _single(correct: bool) -> list[tuple[str, list[CorpusEntry]]]:
    return [(a, [e]) for a in ASSIGNMENTS if a not in BATCHED for e in corpus(a, correct=correct)]


def _batched(correct: bool) -> list[tuple[str, list[CorpusEntry]]]:
    return [(a, g) for a in ASSIGNMENTS if a in BATCHED for g in batches(a, corpus(a, correct=correct))]


WRONG = _single(False) + _batched(False)
CORRECT = _single(True) + _batched(True)


def _ids(groups: list[tuple[str, list[CorpusEntry]]]) -> list[str]:
    return [f"{a}/" + "+".join(e.name for e in g)[:90] for a, g in groups]


_RESULTS: dict[tuple[str, ...], NotebookResult] = {}


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


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_corpus_is_big_enough_and_batches_are_independent(assignment):
    wrong, correct = corpus(assignment), corpus(assignment, correct=True)
    assert len(wrong) >= 15, "the issues ask for at least 15 typical mistakes"
    assert len(correct) >= 5
    functions = set(functions_of(assignment))
    for entry in wrong + correct:
        assert entry.function in functions, f"{entry.name}: no reference function {entry.function!r}"
    for entry in wrong:
        assert entry.loses and entry.message, f"{entry.name}: header needs loses and message"
    for group in batches(assignment, wrong) + batches(assignment, correct):
        reaches = [reach(assignment, e) for e in group]
        assert sum(map(len, reaches)) == len(set().union(*reaches)), "two entries of a batch share a task"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "group"), WRONG, ids=_ids(WRONG))
def test_mistakes_lose_points_with_named_messages(assignment, group, tmp_path):
    checks = scores_by_check(grade_entries(assignment, group, tmp_path))
    for entry in group:
        for check_id in entry.loses:
            score, max_score, _ = checks[check_id]
            assert score < max_score - 1e-9, f"{entry.name} should lose points on {check_id}"
        messages = " ".join(checks[c][2] for c in entry.loses).lower()
        assert entry.message.lower() in messages, (
            f"{entry.name}: feedback should mention {entry.message!r}; got: {messages[:500]}"
        )
    reached = set().union(*(reach(assignment, e) for e in group))
    for check_id, (score, max_score, message) in checks.items():
        if function_of(assignment, check_id) not in reached:
            names = "+".join(e.name for e in group)
            assert score == pytest.approx(max_score), f"{names} cost points on {check_id}: {message}"


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "group"), CORRECT, ids=_ids(CORRECT))
def test_correct_variants_get_full_marks(assignment, group, tmp_path):
    result = grade_entries(assignment, group, tmp_path)
    lost = {c: m for c, (s, mx, m) in scores_by_check(result).items() if s < mx - 1e-9}
    assert not lost, f"{'+'.join(e.name for e in group)} is correct but lost points: {lost}"
    assert result.score == result.max_score
