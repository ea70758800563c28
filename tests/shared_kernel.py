"""One kernel for a whole corpus: the reference notebook runs once (its trainings made cheap), then
each answer is swapped into its cell, graded by the real pytest graders, and swapped back.

For notebooks whose grading trains models (tens of seconds per submission), grading every corpus
entry as a whole notebook would not fit the test budget. Checks that only call the entry's own
function, or read a model description, give the same result in a kernel whose models trained
cheaply; the checks that grade training need whole-notebook grading (see each assignment's corpus
test). Used by tests/test_corpus_segmentation.py; the same machinery could serve 05 and 06.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from convlab import course
from convlab.checking.pytest_plugin import CollectResults, run_checks
from convlab.dev.authoring import strip_markers
from convlab.dev.corpus import reference_submission
from convlab.engine import grader_dir
from convlab.notebook import nbgrader_meta, prepare_submission, read_layout, read_source
from convlab.runtime.kernel import StudentKernel
from convlab.runtime.student import Student
from convlab.settings import REPO_ROOT


@dataclass
class SharedKernel:
    assignment: str
    student: Student
    reference: dict[str, str]  # answer grade_id -> reference source
    checks: set[str]  # every check the notebook names, minus the excluded (training) ones
    memo_attributes: tuple[str, ...]  # the graders' per-submission memos on the Student object

    def run(self, code: str) -> None:
        result = self.student.kernel.execute(code, timeout=60, keep_outputs=False)
        assert result.ok, result.error

    def forget(self) -> None:
        """Drop what the engine and the graders remember about earlier calls (answers change)."""
        for name in self.memo_attributes:
            self.student.__dict__.pop(name, None)
        self.student._prefetched.clear()  # the engine's prefetched call results
        self.student.broken_functions.clear()

    def grade(self, function: str, code: str, wanted: Iterable[str]) -> CollectResults:
        """Run `wanted` checks with `code` in the answer cell of `function`; the reference is back after."""
        cell = next(c for c in self.student.cells if c.grade_id == function)
        wanted = set(wanted)
        self.forget()
        try:
            cell.source = code
            self.run(code)
            collected = run_checks(grader_dir(REPO_ROOT, self.assignment), self.student, wanted)
        finally:
            cell.source = self.reference[function]
            self.run(cell.source)
            self.forget()
        assert not collected.internal_errors, collected.internal_errors
        assert set(collected.outcomes) == wanted
        return collected

    def shutdown(self) -> None:
        self.student.kernel.shutdown()


def start_shared_kernel(assignment: str, notebook: str, cheap: dict[str, list[tuple[str, str]]],
                        excluded_checks: set[str], memo_attributes: tuple[str, ...]) -> SharedKernel:
    """Run the reference notebook, with the `cheap` replacements in its read-only cells (cell
    grade_id -> (old, new) pairs, each of which must be found), in a kernel of its own."""
    source = read_source(REPO_ROOT, assignment, notebook)
    layout = read_layout(source)
    prepared = prepare_submission(reference_submission(assignment, notebook), layout)
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
    return SharedKernel(assignment, student, reference, checks, memo_attributes)
