"""Grading in this process: a stand-in `student` that runs the reference answers plus one corpus
entry's code here, and the graders' check functions called on it directly.

Grading a whole notebook starts a sandboxed kernel (seconds, most of it importing TensorFlow); most
corpus entries only change one numpy function, and what decides their grade is the graders' cases,
tolerances and hints, which this exercises with the same fixed and fresh cases as real grading. The
kernel, the sandbox and the bridge are not exercised here (the whole-notebook and shared-kernel
tests do that). Used by tests/test_corpus_inprocess_conv2d.py and tests/test_corpus_detection.py.
"""

from __future__ import annotations

import ast
import inspect
import time
from types import ModuleType
from typing import Any

import numpy as np

from convlab import course
from convlab.checking.cases import case_kwargs
from convlab.checking.checks import CheckFailure
from convlab.registration import Registration
from convlab.results import CaseResult
from convlab.runner.naming import named_mistake
from convlab.runtime.bridge import RecordedCalls, Returned
from convlab.runtime.seed import submission_seed
from convlab.runtime.student import StudentError


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
    """The answers of `reference` (a solutions module) with one answer replaced by `code`, callable
    like `student`."""

    registration = Registration()  # what the engine's Student carries; its assignment's, below

    def __init__(self, reference: ModuleType, code: str) -> None:
        self.source = inspect.getsource(reference) + "\n\n" + code
        self.namespace: dict[str, Any] = {}
        exec(compile(self.source, "<student>", "exec"), self.namespace)  # noqa: S102 - our own corpus
        self.registration = next(a for a in course.assignments()
                                 if a.solutions_module == reference.__name__).registration()

    def defined_functions(self) -> dict[str, ast.FunctionDef]:
        return {node.name: node for node in ast.parse(self.source).body if isinstance(node, ast.FunctionDef)}

    def call(self, name: str, *args: Any, **kwargs: Any) -> Returned:
        start = time.perf_counter()
        try:
            # numpy's warnings (a division by zero in a wrong answer) are not failures: only what
            # the function returns or raises is graded, as through the bridge.
            with np.errstate(all="ignore"):
                value = self.namespace[name](*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported like the kernel bridge does
            if isinstance(exc, NotImplementedError):
                raise StudentError(f"`{name}` is not implemented yet (it still raises NotImplementedError)",
                                   function=name, kind="not_implemented") from None
            raise StudentError(f"`{name}` raised {type(exc).__name__}: {exc}", function=name, kind="raised",
                               exc_type=type(exc).__name__, exc_message=str(exc)) from None
        type_name = f"{type(value).__module__}.{type(value).__qualname__}".replace("builtins.", "")
        return Returned(_plain(value), type_name, RecordedCalls([], self.registration), time.perf_counter() - start)


def failed_cases(check: Any, student: InProcessStudent) -> tuple[int, list[CaseResult]]:
    """(cases passed, failed cases) of a check function on `student`, over the fixed cases and the
    fresh cases this student's code draws, as in real grading."""
    passed, failures = 0, []
    for kwargs in case_kwargs(check, submission_seed([student.source])):
        try:
            check(student, **kwargs)
            passed += 1
        except (CheckFailure, StudentError) as exc:
            failures.append(CaseResult.of_failure(exc))
    return passed, failures


def run_check(graders: ModuleType, student: InProcessStudent, check_id: str) -> tuple[int, int, str]:
    """(cases passed, cases, first failure message) of the check `test_<check_id>` of `graders`."""
    passed, failures = failed_cases(getattr(graders, "test_" + check_id), student)
    # The message real grading shows: the mistake that explains the most failed cases names it.
    return passed, passed + len(failures), named_mistake(failures)[1]
