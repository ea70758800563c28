"""A persistent student who copies what the feedback shows cannot reach full marks (issue 22 §1).

For every wrong corpus entry that is right on most of a check's fixed cases (wrong only on some
kind of case, an edge), the student resubmits up to five times; before each resubmission they put
every failed call and its expected value into a lookup table in front of their wrong function
(more than the feedback shows: the feedback shows one call, never all of them). The table changes
their code, so each resubmission draws new fresh cases, and those hold every kind of the fixed
cases with new numbers: the check must never be passed in full.

Graded in this process (tests/inprocess_student.py); checks that need a kernel (Keras) are left out.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from support.inprocess_student import InProcessStudent

from convlab import course
from convlab.checking.cases import FRESH_PREFIX, case_kwargs, case_values
from convlab.checking.checks import CheckFailure
from convlab.dev.corpus import corpus
from convlab.runtime.bridge import call_key
from convlab.runtime.seed import submission_seed
from convlab.runtime.student import StudentError
from convlab.settings import REPO_ROOT

ASSIGNMENTS = ("01_image_tasks", "02_conv1d", "03_conv2d", "04_stacked_convs", "06_object_detection", "07_segmentation")
RESUBMISSIONS = 5


def _checks(assignment: str) -> dict[str, Any]:
    package = course.assignment(assignment).graders_package
    found = {}
    for path in sorted((REPO_ROOT / package.replace(".", "/")).glob("grade_*.py")):
        module = importlib.import_module(f"{package}.{path.stem}")
        found.update({n.removeprefix("test_"): getattr(module, n) for n in dir(module) if n.startswith("test_")})
    return found


class CopyingStudent(InProcessStudent):
    """The entry's answers, with a lookup table of copied expected values in front of `function`."""

    def __init__(self, reference, code: str, function: str, table: dict[str, Any]) -> None:
        super().__init__(reference, code)
        self.function, self.table = function, table
        # The table is part of the code the student hands in, so it changes the submission's seed.
        self.source += f"\n\nKNOWN = {sorted(table)!r}\n"

    def call(self, name: str, *args: Any, **kwargs: Any):
        key = call_key(name, args, kwargs)
        if name == self.function and key in self.table:
            original = self.namespace[name]
            self.namespace[name] = lambda *a, **k: _replay(self.table[key])
            try:
                return super().call(name, *args, **kwargs)
            finally:
                self.namespace[name] = original
        return super().call(name, *args, **kwargs)


def _run(check, student: CopyingStudent) -> tuple[list[dict], list[dict], list[dict]]:
    """(all cases, failed cases, failed fixed cases) of one check for this submission."""
    all_cases = case_kwargs(check, submission_seed([student.source]))
    fixed_count = len(case_kwargs(check, 0)) - _fresh_count(check, 0)
    failed, failed_fixed = [], []
    for i, kwargs in enumerate(all_cases):
        try:
            check(student, **kwargs)
        except (CheckFailure, StudentError):
            failed.append(kwargs)
            if i < fixed_count:
                failed_fixed.append(kwargs)
    return all_cases, failed, failed_fixed


def _fresh_count(check, seed: int) -> int:
    marks = [m for m in getattr(check, "pytestmark", []) if m.name == "cases"]
    if not marks:
        return 0
    _, _, ids = case_values(marks[0], seed, check.__name__.removeprefix("test_"))
    return sum(i.startswith(FRESH_PREFIX) for i in ids)


class _Recorder:
    """Records the calls a case makes to one function, answering them with the reference."""

    def __init__(self, student: InProcessStudent, reference, function: str) -> None:
        self.student, self.reference, self.function = student, reference, function
        self.calls: list[tuple[str, Any]] = []

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.student, attr)

    def call(self, name: str, *args: Any, **kwargs: Any):
        if name == self.function:
            try:
                expected = getattr(self.reference, name)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the feedback said "should raise ValueError"
                expected = exc
            self.calls.append((call_key(name, args, kwargs), expected))
        return self.student.call(name, *args, **kwargs)


def _replay(value: Any) -> Any:
    if isinstance(value, Exception):
        raise value
    return value


def _copying_student_wins(assignment: str, entry, check) -> str | None:
    """None when the entry is not an edge mistake of `check` (wrong on most fixed cases, or on none,
    or not gradable in this process); else '' when five resubmissions never pass every case, or
    what went wrong."""
    reference = importlib.import_module(course.assignment(assignment).solutions_module)
    table: dict[str, Any] = {}
    try:
        student = CopyingStudent(reference, entry.answer, entry.function, table)
        cases, failed, failed_fixed = _run(check, student)
    except Exception:  # noqa: BLE001 - a check that needs a kernel cannot run in this process
        return None
    fixed = len(cases) - _fresh_count(check, submission_seed([student.source]))
    if not failed or len(failed_fixed) * 2 > fixed:
        return None
    for attempt in range(RESUBMISSIONS):
        for kwargs in failed:
            recorder = _Recorder(student, reference, entry.function)
            try:
                check(recorder, **kwargs)
            except (CheckFailure, StudentError):
                pass
            table.update(recorder.calls)
        student = CopyingStudent(reference, entry.answer, entry.function, table)
        _, failed, _ = _run(check, student)
        if not failed:
            return (f"{entry.name}: full marks on {check.__name__} after {attempt + 1} resubmission(s) "
                    f"with {len(table)} copied values")
    return ""


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_copying_the_feedback_into_a_table_never_gives_full_marks(assignment):
    checks = _checks(assignment)
    edges, wins = 0, []
    for entry in corpus(assignment):
        for check_id in entry.loses:
            if check_id in checks and (outcome := _copying_student_wins(assignment, entry, checks[check_id])) is not None:
                edges += 1
                wins += [outcome] if outcome else []
    assert edges, f"no corpus entry of {assignment} is an edge mistake gradable in process: nothing was tried"
    assert not wins, wins
