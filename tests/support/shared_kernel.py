"""One kernel for a whole corpus: the reference notebook runs once (its trainings made cheap), then
each answer is swapped into its cell, graded by the real pytest graders, and swapped back.

For notebooks whose grading trains models (tens of seconds per submission), grading every corpus
entry as a whole notebook would not fit the test budget. Checks that only call the entry's own
function, or read a model description, give the same result in a kernel whose models trained
cheaply; the checks that grade training need whole-notebook grading (see each assignment's corpus
test). Used by the corpus tests of 05, 06 and 07.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from convlab import course
from convlab.checking import memo
from convlab.dev.corpus import reference_submission
from convlab.engine import grader_dir
from convlab.notebook import nbgrader_meta, prepare_submission, read_layout, read_source, strip_markers
from convlab.runner.pytest_plugin import CollectResults, run_checks
from convlab.runtime.kernel import StudentKernel
from convlab.runtime.student import Student
from convlab.settings import REPO_ROOT


@dataclass
class SharedKernel:
    assignment: str
    student: Student
    reference: dict[str, str]  # answer grade_id -> reference source
    checks: set[str]  # every check the notebook names, minus the excluded (training) ones
    unchanged: dict[str, str]  # read-only cell grade_id -> its source before the cheap replacements

    def run(self, code: str) -> None:
        result = self.student.kernel.execute(code, timeout=60, keep_outputs=False)
        assert result.ok, result.error

    def forget(self) -> None:
        """Drop what the engine and the graders remember about earlier calls (answers change)."""
        memo.forget(self.student)  # the graders' per-submission memo
        self.student._prefetched.clear()  # the engine's prefetched call results
        self.student.broken_functions.clear()

    @contextmanager
    def answer(self, function: str, code: str) -> Iterator[None]:
        """`code` in the answer cell of `function`, run in the kernel; the reference is back after."""
        cell = next(c for c in self.student.cells if c.grade_id == function)
        self.forget()
        try:
            cell.source = code
            self.run(code)
            yield
        finally:
            cell.source = self.reference[function]
            self.run(cell.source)
            self.forget()

    def collect(self, wanted: set[str]) -> CollectResults:
        """Run the `wanted` checks through the real graders on the kernel as it is now."""
        collected = run_checks(grader_dir(REPO_ROOT, self.assignment), self.student, wanted)
        assert not collected.internal_errors, collected.internal_errors
        assert set(collected.outcomes) == wanted
        return collected

    def grade(self, function: str, code: str, wanted: Iterable[str]) -> CollectResults:
        """Run `wanted` checks with `code` in the answer cell of `function`; the reference is back after."""
        with self.answer(function, code):
            return self.collect(set(wanted))

    def shutdown(self) -> None:
        self.student.kernel.shutdown()


def fractions(collected: CollectResults) -> dict[str, tuple[float, str]]:
    """Check id -> (fraction of the check's points earned, its failed cases' messages)."""
    return {cid: (o.fraction, " ".join(c.message for c in o.cases if not c.passed))
            for cid, o in collected.outcomes.items()}


def start_shared_kernel(assignment: str, notebook: str, cheap: dict[str, list[tuple[str, str]]],
                        excluded_checks: set[str]) -> SharedKernel:
    """Run the reference notebook, with the `cheap` replacements in its read-only cells (cell
    grade_id -> (old, new) pairs, each of which must be found), in a kernel of its own."""
    source = read_source(REPO_ROOT, assignment, notebook)
    layout = read_layout(source)
    prepared = prepare_submission(reference_submission(assignment, notebook), layout)
    unchanged = {cell.grade_id: cell.source for cell in prepared.cells if cell.grade_id in cheap}
    for cell in prepared.cells:
        for old, new in cheap.get(cell.grade_id or "", []):
            assert old in cell.source, f"{cell.grade_id}: {old!r} not found (update the cheap replacements)"
            cell.source = cell.source.replace(old, new)
    reference = {nbgrader_meta(c)["grade_id"]: strip_markers(c.source)
                 for c in source.cells if nbgrader_meta(c).get("solution") and c.cell_type == "code"}
    files = [p for p in (REPO_ROOT / "release" / assignment).iterdir() if p.suffix != ".ipynb"]
    kernel = StudentKernel(None, files=files)
    kernel.start()
    student = Student(kernel, prepared.cells, course.assignment(assignment).registration())
    try:
        student.run_notebook()
    except BaseException:
        kernel.shutdown()
        raise
    checks = {c for item in layout.items for c in item.checks} - excluded_checks
    return SharedKernel(assignment, student, reference, checks, unchanged)


@contextmanager
def shared_kernel(assignment: str, notebook: str, cheap: dict[str, list[tuple[str, str]]],
                  excluded_checks: set[str]) -> Iterator[SharedKernel]:
    """`start_shared_kernel`, checked (every cell of the cheap reference runs), shut down after."""
    state = start_shared_kernel(assignment, notebook, cheap, excluded_checks)
    try:
        failed = [r.cell.grade_id for r in state.student.runs if not r.result.ok]
        assert not failed, f"cells failed in the shared kernel: {failed}"
        yield state
    finally:
        state.shutdown()
