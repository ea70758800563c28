"""`convlab similarity ASSIGNMENT`: read the class's submissions, compare every pair per task, write the reports.

The tasks are independent, so they are compared in worker processes, one task per job: a job
normalises, fingerprints and compares its own answers (Python's string hashes, which copydetect uses,
differ between processes, so a task's fingerprints never cross a process boundary).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from convlab import course
from convlab.similarity.compare import DEFAULT, PairScore, Settings, TaskComparison, compare_task
from convlab.similarity.extract import (
    Answer,
    Boilerplate,
    NoSubmissions,
    answers_of_cells,
    boilerplate,
    solution_cells,
)

MAX_VIEWS = 25  # side-by-side views per task in the report; the other flagged pairs are listed with their scores


@dataclass(frozen=True)
class Submission:
    """One notebook's answer cells as written (task -> source), before normalisation."""

    student: str
    cells: dict[str, str]
    archived: bool = False


@dataclass(frozen=True)
class _TaskJob:
    task: str
    submissions: tuple[tuple[str, str, bool], ...]  # (student, cell source, archived)
    starter: str
    release_cell: str
    boilerplate: tuple[str, ...]
    settings: Settings
    views: int  # flagged pairs whose shared passages the report shows


@dataclass
class SimilarityResult:
    """Everything the reports need: every task's compared pairs, and each answer as it was compared."""

    assignment: str
    settings: Settings
    comparisons: list[TaskComparison]  # in notebook order
    answers: dict[tuple[str, str], Answer]  # (task, student) -> answer
    students: list[str]
    boilerplate: Boilerplate
    archived: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[str]:
        return [c.task for c in self.comparisons]

    @property
    def pairs(self) -> list[PairScore]:
        """Every compared pair of every task (as rows: for tests and small classes)."""
        return [row for c in self.comparisons for row in c.pairs()]

    def counts(self) -> tuple[int, int]:
        """(pairs compared, pairs flagged) over every task."""
        scores = [c.indices()[2] for c in self.comparisons]
        return sum(len(s) for s in scores), sum(int((s >= self.settings.threshold).sum()) for s in scores)


def _run_job(job: _TaskJob) -> tuple[list[Answer], TaskComparison]:
    answers = answers_of_cells(job.task, job.submissions, job.starter, job.release_cell)
    # One BLAS thread per worker: the matrix products are small, and threads fighting over 2 busy
    # cores made them ten times slower.
    with threadpool_limits(1):
        return answers, compare_task(job.task, answers, job.boilerplate, job.settings, views=job.views)


def _read_cells(path: Path) -> dict[str, str] | None:
    """The answer cells of a notebook, read as plain JSON (nbformat's validation costs more than the rest)."""
    try:
        return solution_cells(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # unreadable: grading reports it; there is nothing here to compare


def read_submissions(root: Path, assignment: str, archive: Path | None = None) -> list[Submission]:
    """This term's `submitted/<student>/<assignment>/*.ipynb` and, optionally, earlier terms' notebooks
    below `archive` (any `.../<student>/<assignment>/*.ipynb`, named `archive/<path>`)."""
    submitted = root / course.SUBMITTED
    paths = sorted(path for student in course.students_in(submitted, assignment)
                   for path in course.notebooks_in(course.student_dir(submitted, student, assignment)))
    if not paths:
        raise NoSubmissions(f"no submissions of {assignment} in {submitted} (expected "
                            f"submitted/<student>/{assignment}/*.ipynb: run `nbgrader collect {assignment}` first)")
    found = [(p, p.parent.parent.name, False) for p in paths]
    if archive is not None:
        if not archive.is_dir():
            raise NoSubmissions(f"the archive folder {archive} does not exist")
        found += [(p, "archive/" + p.parent.parent.relative_to(archive).as_posix(), True)
                  for p in sorted(archive.glob(f"**/{assignment}/*.ipynb"))]
    subs = []
    for path, student, archived in found:
        cells = _read_cells(path)
        if cells is not None:
            subs.append(Submission(student, cells, archived))
    return subs


def compare_submissions(assignment: str, subs: Sequence[Submission], bp: Boilerplate,
                        settings: Settings = DEFAULT, workers: int | None = None, views: int = MAX_VIEWS) -> SimilarityResult:
    """Compare every pair of `subs` per task of `bp` (the assignment's answer cells), in `workers` processes;
    the shared passages of the `views` highest flagged pairs per task are kept for the report."""
    tasks = list(bp.starter)
    jobs = [_TaskJob(task, tuple((s.student, s.cells[task], s.archived) for s in subs if task in s.cells),
                     bp.starter[task], bp.release_cells.get(task, ""), tuple(bp.of(task)), settings, views)
            for task in tasks]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        done = [_run_job(job) for job in jobs]
    else:
        # fork: the workers start without importing anything again (a job carries all it needs).
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = list(pool.map(_run_job, jobs))
    answers = {(a.task, a.student): a for found, _ in done for a in found}
    return SimilarityResult(assignment, settings, [found for _, found in done], answers,
                            sorted({s.student for s in subs if not s.archived}), bp,
                            sorted({s.student for s in subs if s.archived}))


def compare_assignment(root: Path, assignment: str, archive: Path | None = None, settings: Settings = DEFAULT,
                       workers: int | None = None) -> SimilarityResult:
    """Read the class's submissions of `assignment` and compare every pair per task."""
    return compare_submissions(assignment, read_submissions(root, assignment, archive), boilerplate(assignment, root),
                               settings, workers)
