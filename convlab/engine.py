"""Grade one notebook: prepare it, run it in a sandboxed kernel, run the hidden checks, score."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from nbformat import NotebookNode

from convlab import course
from convlab.checking.code_reading import calls_function
from convlab.notebook import (
    BrokenNotebook,
    GradedItem,
    ManualItem,
    load_submission,
    prepare_submission,
    read_layout,
    read_source,
)
from convlab.results import CheckOutcome, CheckResult, ItemResult, NotebookResult, Reliance
from convlab.runner.naming import named_mistake
from convlab.runner.pytest_plugin import run_checks
from convlab.runtime.kernel import KernelDied, StudentKernel
from convlab.runtime.student import Student
from convlab.settings import REPO_ROOT, SandboxSettings

log = logging.getLogger(__name__)


def grader_dir(course_root: Path, assignment: str) -> Path:
    """Hidden graders of assignment `02_conv1d` live in `graders/a02_conv1d/` (see convlab.course)."""
    return course.assignment(assignment, course_root).graders_dir


def _fully_passed(outcome: CheckOutcome | None) -> bool:
    return outcome is not None and bool(outcome.cases) and all(c.passed for c in outcome.cases)


def _relied_on(relies: tuple[Reliance, ...], outcomes: dict[str, CheckOutcome],
               calls: Callable[[str, str], bool]) -> tuple[list[str], list[str], str]:
    """(relied-on checks, those that failed, a sentence naming the failed ones for the student)."""
    relied, failed, parts = [], [], []
    for reliance in relies:
        if reliance.caller is not None and not calls(reliance.caller, reliance.function):
            continue
        relied.extend(reliance.checks)
        bad = [cid for cid in reliance.checks if cid in outcomes and not _fully_passed(outcomes[cid])]
        failed.extend(bad)
        if bad:
            parts.append(f"your `{reliance.function}`, which failed its check "
                         + ", ".join(f"`{cid}`" for cid in bad))
    note = ("This check uses " + "; and ".join(parts) + ": fix that first. ") if parts else ""
    return relied, failed, note


def _score_item(item: GradedItem, outcomes: dict[str, CheckOutcome], reason: str,
                calls: Callable[[str, str], bool] = lambda caller, function: True) -> ItemResult:
    """Score one test cell from its checks' outcomes.

    calls(caller, function): whether the student's `caller` uses their `function` (for relies_on
    declarations that name a caller).
    """
    weights = {cid: (outcomes[cid].weight if cid in outcomes else 1.0) for cid in item.checks}
    total_weight = sum(weights.values())
    checks = []
    for cid in item.checks:
        share = item.points * weights[cid] / total_weight
        outcome = outcomes.get(cid)
        if outcome is None or not outcome.cases:
            checks.append(CheckResult(cid, "", 0.0, share, 0, 0, reason or "not graded"))
            continue
        failures = [c for c in outcome.cases if not c.passed]
        passed = len(outcome.cases) - len(failures)
        relied, blocked, note = _relied_on(outcome.relies_on, outcomes, calls)
        mistake_id, message = named_mistake(failures)
        if failures:
            message = (note if note else "") + message
            if len(failures) > 1:
                message += f" ({len(failures)} of {len(outcome.cases)} cases failed)"
        else:
            blocked = []
        images = next((c.images for c in failures if c.images), [])
        checks.append(CheckResult(cid, outcome.description, share * outcome.fraction,
                                  share, passed, len(outcome.cases), message, list(images),
                                  mistake_id, relied, blocked))
    return ItemResult(item.grade_id, item.points, checks)


def zero_result(assignment: str, notebook: str, layout_items: list[GradedItem],
                manual: list[ManualItem], reason: str) -> NotebookResult:
    items = [_score_item(item, {}, reason) for item in layout_items]
    return NotebookResult(assignment, notebook, items, manual, broken=reason)


def _shipped_files(course_root: Path, assignment: str, submission: Path | NotebookNode) -> list[Path]:
    """Files the kernel gets beside the notebook. Those the course ships (data, helper modules)
    come from the release, never from the student's copy, so an edited helper cannot change what
    the grader measures; the student's other files come along."""
    files = course.beside_notebook(course.assignment(assignment, course_root).release_dir)
    if isinstance(submission, Path):
        shipped = {p.name for p in files}
        files += [p for p in course.beside_notebook(submission.parent) if p.name not in shipped]
    return files


def _run_notes(kernel: StudentKernel, student: Student, prepared_notes: list[str]) -> list[str]:
    notes = ([kernel.sandbox_note] if kernel.sandbox_note else []) + list(prepared_notes)
    for run in student.runs:
        if run.result.status == "died":
            notes.append(f"cell {run.cell.index + 1} made the kernel die; it was skipped")
        elif run.result.status == "timeout":
            notes.append(f"cell {run.cell.index + 1} {run.result.error}; it was skipped")
    return notes


def grade(
    submission: Path | NotebookNode,
    assignment: str,
    notebook: str,
    *,
    course_root: Path = REPO_ROOT,
    settings: SandboxSettings | None = None,
) -> NotebookResult:
    """Grade one submitted notebook against the source notebook of `assignment`.

    Never raises for anything the submission does; problems end up in the result's messages.
    Raises SandboxUnavailable when kernels cannot be sandboxed and the settings do not allow it.
    """
    layout = read_layout(read_source(course_root, assignment, notebook))
    try:
        nb = load_submission(submission) if isinstance(submission, Path) else submission
    except BrokenNotebook as exc:
        reason = f"Your notebook could not be read: {exc}. Nothing in it was graded."
        return zero_result(assignment, notebook, layout.items, layout.manual, reason)
    prepared = prepare_submission(nb, layout)
    wanted = {cid for item in layout.items for cid in item.checks}
    kernel = StudentKernel(settings, files=_shipped_files(course_root, assignment, submission))
    student = Student(kernel, prepared.cells, course.assignment(assignment, course_root).registration())
    timings: dict[str, float] = {}
    launched = time.perf_counter()

    def run_notebook() -> None:
        # Called by the check session after collecting: the kernel booted meanwhile.
        kernel.wait_ready()
        timings["kernel start"] = time.perf_counter() - launched
        student.run_notebook()
        timings["notebook"] = time.perf_counter() - launched - timings["kernel start"]

    try:
        kernel.launch()
        collected = run_checks(grader_dir(course_root, assignment), student, wanted, run_notebook)
        timings["checks"] = time.perf_counter() - launched - sum(timings.values())
    finally:
        kernel.shutdown()
    if isinstance(collected.prepare_error, KernelDied):
        reason = f"The notebook could not be run: {collected.prepare_error}."
        result = zero_result(assignment, notebook, layout.items, layout.manual, reason)
        result.notes = prepared.notes
        return result
    if collected.prepare_error is not None:
        raise collected.prepare_error
    missing = wanted - set(collected.outcomes)
    if missing:
        log.error("checks named in the source but missing from the graders: %s", sorted(missing))
    functions = student.defined_functions()
    items = [_score_item(item, collected.outcomes, "", lambda caller, fn: calls_function(functions, caller, fn))
             for item in layout.items]
    return NotebookResult(assignment, notebook, items, layout.manual, _run_notes(kernel, student, prepared.notes),
                          student.runs, timings=timings, kernel_peak_rss=kernel.peak_rss_bytes)
