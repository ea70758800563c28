"""What crosses between the batch and its workers: plain dataclasses (picklable for Dask)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

STAGING = ".batch-staging"  # inside autograded/: hidden from kernels, skipped by nbgrader's globs
FAILURES = "failures.json"  # in reports/<assignment>/: who a batch could not grade, and why
DEFAULT_TIMEOUT = 1800.0
MAX_ATTEMPTS = 2  # a killed worker's submission is retried once
STARTED = "started"  # a worker's message when it begins a task: the time limit runs from then


@dataclass
class Task:
    student: str
    assignment: str
    course_root: str
    db_url: str
    files: dict[str, bytes]  # path relative to submitted/<student>/<assignment>/ -> content
    attempt: int = 1


@dataclass
class TaskResult:
    student: str
    assignment: str
    ok: bool
    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # autograded: path -> (bytes, mode)
    error: str = ""
    seconds: float = 0.0
    worker: str = ""


@dataclass
class StudentLine:
    """One row of the summary: what happened to one submission in this run."""

    student: str
    status: str  # graded | skipped | failed
    seconds: float = 0.0
    detail: str = ""


OnResult = Callable[[TaskResult], StudentLine]
