"""The whole batch: select, grade on local workers or Dask, commit, record failures, summarise."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convlab import course
from convlab.batch.commit import commit
from convlab.batch.dask_cluster import run_dask
from convlab.batch.local_pool import run_local
from convlab.batch.progress import Progress
from convlab.batch.selection import needs_grading, read_task, students_in_gradebook, submissions
from convlab.batch.tasks import DEFAULT_TIMEOUT, FAILURES, STAGING, StudentLine, Task, TaskResult
from convlab.integration import gradebook_db

log = logging.getLogger(__name__)

@dataclass
class BatchResult:
    lines: list[StudentLine]
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> list[StudentLine]:
        return [ln for ln in self.lines if ln.status == "failed"]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _refuse_unsandboxed(course_root: Path) -> None:
    """Refuse once, before any work, rather than once per submission (SandboxUnavailable)."""
    from convlab.integration.nbgrader_plugin import configured_settings
    from convlab.runtime.scratch import sandbox_note

    sandbox_note(configured_settings(course_root))


def _plan(course_root: Path, assignment: str, students: list[str] | None, force: bool, url: str,
          progress_stream) -> tuple[list[Task], list[StudentLine]]:  # noqa: ANN001
    """(submissions to grade, lines of those skipped), after adding the assignment to the gradebook."""
    course_id = gradebook_db.config_course_id(course_root)
    with gradebook_db.serialised_gradebook(url):
        if gradebook_db.ensure_assignment(url, course_root, assignment):
            print(f"added {assignment} to the gradebook {gradebook_db.redacted(url)}", file=progress_stream)
        graded = students_in_gradebook(url, assignment, course_id)
    lines: list[StudentLine] = []
    tasks: list[Task] = []
    for student in submissions(course_root, assignment, students):
        if needs_grading(course_root, assignment, student, graded, force):
            tasks.append(read_task(course_root, assignment, student, url))
        else:
            lines.append(StudentLine(student, "skipped", detail="already graded"))
    return tasks, lines


def run_batch(course_root: Path, assignment: str, *, workers: int | None = None,
              students: list[str] | None = None, force: bool = False, db_url: str | None = None,
              scheduler: str | None = None, security: Any = None, timeout: float = DEFAULT_TIMEOUT,
              progress_stream=sys.stderr) -> BatchResult:  # noqa: ANN001
    """Grade every (or the named) submission of `assignment` that is not graded yet."""
    started = time.monotonic()
    course_root = course_root.resolve()
    if not course.source_dir(assignment, course_root).is_dir():
        raise SystemExit(f"no assignment {assignment!r} in {course_root / course.SOURCE}")
    if not scheduler:
        _refuse_unsandboxed(course_root)
    url = gradebook_db.resolve_db_url(db_url, course_root)
    if scheduler and gradebook_db.backend(url) == "sqlite":
        log.warning("Dask workers share an SQLite gradebook only if they all see %s; use --db postgresql://...",
                    url)
    tasks, lines = _plan(course_root, assignment, students, force, url, progress_stream)

    def on_result(outcome: TaskResult) -> StudentLine:
        if outcome.ok:
            commit(course_root, outcome)
            line = StudentLine(outcome.student, "graded", outcome.seconds)
        else:
            line = StudentLine(outcome.student, "failed", outcome.seconds, outcome.error or "unknown error")
        lines.append(line)
        return line

    progress = Progress(len(tasks), progress_stream)
    interrupted = False
    n = workers or default_workers()
    if tasks:
        where = f"Dask scheduler {scheduler}" if scheduler else f"{min(n, len(tasks))} local worker(s)"
        print(f"grading {len(tasks)} submission(s) of {assignment} on {where}; "
              f"{len(lines)} already graded", file=progress_stream, flush=True)
    try:
        if scheduler:
            run_dask(tasks, scheduler, on_result, progress, security)
        elif tasks:
            run_local(tasks, n, timeout, on_result, progress)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close()
        shutil.rmtree(course_root / course.AUTOGRADED / STAGING, ignore_errors=True)
    if interrupted:
        got = {ln.student for ln in lines}
        lines += [StudentLine(t.student, "interrupted", detail="not graded: run again to continue")
                  for t in tasks if t.student not in got]
    _record_failures(course.reports_dir(assignment, course_root) / FAILURES, lines)
    return BatchResult(lines, interrupted, time.monotonic() - started)


def _record_failures(path: Path, lines: list[StudentLine]) -> None:
    """Failures survive the run (for the class report); a later success clears the student's entry."""
    old = json.loads(path.read_text()) if path.exists() else {}
    for ln in lines:
        if ln.status == "failed":
            old[ln.student] = ln.detail
        elif ln.status == "graded":
            old.pop(ln.student, None)
    if old or path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")


def summary(course_root: Path, assignment: str, result: BatchResult, db_url: str | None = None) -> str:
    """The table printed after a batch: every student of this run with scores from the gradebook."""
    from convlab.batch.class_report import gradebook_scores

    url = gradebook_db.resolve_db_url(db_url, course_root)
    scores, notebooks = gradebook_scores(url, course_root, assignment)
    width = max([len("student")] + [len(ln.student) for ln in result.lines])
    head = f"{'student':<{width}}  {'status':<11}" + "".join(f"{nb:>12}" for nb in notebooks)
    head += f"{'total':>8}{'max':>7}{'seconds':>9}"
    out = [head, "-" * len(head)]
    for ln in sorted(result.lines, key=lambda ln: ln.student):
        per, total, maximum = scores.get(ln.student, ({}, 0.0, 0.0))
        if ln.status in ("failed", "interrupted"):
            per, total = {}, 0.0
        cells = "".join(f"{per.get(nb, 0.0):>12.2f}" for nb in notebooks)
        out.append(f"{ln.student:<{width}}  {ln.status:<11}{cells}{total:>8.2f}{maximum:>7.2f}"
                   f"{ln.seconds:>9.1f}")
    counts = {s: sum(ln.status == s for ln in result.lines) for s in ("graded", "skipped", "failed", "interrupted")}
    out.append(", ".join(f"{v} {k}" for k, v in counts.items() if v or k != "interrupted")
               + f"; wall time {result.seconds:.1f} s")
    for ln in result.failed:
        out.append(f"FAILED {ln.student} (scored 0): {ln.detail}")
    if result.interrupted:
        out.append("Interrupted: graded submissions are kept; run the same command again to continue.")
    return "\n".join(out)
