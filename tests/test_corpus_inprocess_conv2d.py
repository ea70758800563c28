"""More corpus entries of 03_conv2d, graded in-process: the graders' checks called directly.

Every entry of `tests/corpus/03_conv2d/` grades a whole notebook in a sandboxed kernel (about 7 s
each, most of it importing TensorFlow), so that folder holds the issue's list of mistakes and the
rest lives in `tests/corpus/03_conv2d_inprocess/`. Those entries run here against the same check
functions, with a stand-in `student` that executes the reference notebook's answers plus the entry's
code in this process. The kernel, the sandbox and the bridge are not exercised (test_corpus does
that); the graders' cases, tolerances and hints are.
"""

from __future__ import annotations

import ast
import inspect
import time
from typing import Any

import numpy as np
import pytest

import solutions.conv2d as reference
from convlab.checking.cases import case_kwargs, submission_seed
from convlab.checking.checks import CheckFailure
from convlab.dev.corpus import read_corpus_entry
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError
from convlab.settings import REPO_ROOT
from graders.a03_conv2d import grade_conv2d as graders

FOLDER = REPO_ROOT / "tests" / "corpus" / "03_conv2d_inprocess"
ENTRIES = [read_corpus_entry(p) for p in sorted(FOLDER.glob("*.py"))]
NEEDS_TF = {"filter_bank_tf"}


def _plain(value: Any) -> Any:
    """What the bridge delivers: tuples as lists, tensors and scalars as numpy data."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.ndarray, str, bool, int, float)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return np.asarray(value)


class InProcessStudent:
    """The reference answers with one answer replaced by `code`, callable like `student`."""

    def __init__(self, code: str) -> None:
        self.source = inspect.getsource(reference) + "\n\n" + code
        self.namespace: dict[str, Any] = {}
        exec(compile(self.source, "<student>", "exec"), self.namespace)  # noqa: S102 - our own corpus

    def defined_functions(self) -> dict[str, ast.FunctionDef]:
        return {node.name: node for node in ast.parse(self.source).body if isinstance(node, ast.FunctionDef)}

    def call(self, name: str, *args: Any, **kwargs: Any) -> Returned:
        start = time.perf_counter()
        try:
            value = self.namespace[name](*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported like the kernel bridge does
            raise StudentError(f"`{name}` raised {type(exc).__name__}: {exc}") from None
        seconds = time.perf_counter() - start
        return Returned(_plain(value), f"{type(value).__module__}.{type(value).__qualname__}".replace("builtins.", ""),
                        [], seconds)


def _run_check(student: InProcessStudent, check_id: str) -> tuple[int, int, str]:
    """(cases passed, cases, first failure message) of one check."""
    fn = getattr(graders, "test_" + check_id)
    # Fixed cases and the fresh cases this entry's code draws, as in real grading.
    calls = case_kwargs(fn, submission_seed([student.source]))
    passed, first = 0, ""
    for kwargs in calls:
        try:
            fn(student, **kwargs)
            passed += 1
        except (CheckFailure, StudentError) as exc:
            first = first or str(exc)
    return passed, len(calls), first


def _checks_of(function: str) -> list[str]:
    """Check ids of a function: the longest function-name prefix decides, as in test_corpus."""
    names = [n for n, f in vars(reference).items() if inspect.isfunction(f) and f.__module__ == reference.__name__]
    checks = [name.removeprefix("test_") for name in dir(graders) if name.startswith("test_")]
    return [c for c in checks if max((n for n in names if c.startswith(n + "_")), key=len) == function]


def _params(entries):
    return [pytest.param(e, id=e.name, marks=[pytest.mark.slow] if _needs_tf(e) else []) for e in entries]


def _needs_tf(entry) -> bool:
    return entry.function in NEEDS_TF or "tensorflow" in entry.code or "keras" in entry.code


@pytest.mark.parametrize("entry", _params([e for e in ENTRIES if e.loses]))
def test_inprocess_mistake_loses_points_with_named_message(entry):
    student = InProcessStudent(entry.code)
    messages = []
    for check_id in entry.loses:
        passed, total, message = _run_check(student, check_id)
        assert passed < total, f"{entry.name} should lose points on {check_id}"
        messages.append(message)
    assert entry.message.lower() in " ".join(messages).lower(), f"{entry.name}: got {messages}"


@pytest.mark.parametrize("entry", _params([e for e in ENTRIES if not e.loses]))
def test_inprocess_correct_variant_passes_its_checks(entry):
    student = InProcessStudent(entry.code)
    for check_id in _checks_of(entry.function):
        if check_id == "conv2d_im2col_vectorised":
            continue  # timings in this process say nothing about the kernel's
        passed, total, message = _run_check(student, check_id)
        assert passed == total, f"{entry.name} lost points on {check_id}: {message}"


def test_reference_passes_every_check_in_process():
    """The stand-in itself is faithful: the reference answers pass every check (TensorFlow aside)."""
    student = InProcessStudent("")
    for check_id in [name.removeprefix("test_") for name in dir(graders) if name.startswith("test_")]:
        if check_id.startswith("filter_bank_tf"):
            continue
        passed, total, message = _run_check(student, check_id)
        assert passed == total, f"{check_id}: {message}"
