"""`python -m graders batch ASSIGNMENT`: grade a whole class in parallel, exactly as `nbgrader autograde`.

Each submission (`submitted/<student>/<assignment>/`) is one task. A worker runs nbgrader's own
`Autograde` converter for that one student (so the sanitising steps, `GradeWithEngine`,
`SaveAutoGrades` and the late penalty are nbgrader's, configured by nbgrader_config.py) in a private
temporary folder, with every gradebook session serialised (see graders/gradebook_db.py), and sends
back the autograded folder's files. The parent swaps them into `autograded/<student>/<assignment>/`
with renames, so a folder there is always complete: an interrupted or failed task leaves the old one
(or none) and is graded again by the next run.

Workers are local processes (`--workers N`) or Dask workers (`--scheduler tcp://host:8786`); tasks
carry the submission's bytes, so Dask workers need only the course checkout and a gradebook server.
A worker that dies mid-task gets its submission retried once on a fresh worker; a task that exceeds
`--timeout` is killed with its kernel and reported. Either way the student is reported with zero
and the rest of the class is graded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import psutil

from graders import gradebook_db

log = logging.getLogger(__name__)

STAGING = ".batch-staging"  # inside autograded/: hidden from kernels, skipped by nbgrader's globs
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
class Outcome:
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


# ------------------------------------------------------------------ the worker side (any process)

_GRADING = threading.Lock()  # nbgrader chdirs and uses traitlets singletons: one task per process


@contextlib.contextmanager
def _captured_log(names: tuple[str, ...]) -> Iterator[list[str]]:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(f"{record.levelname} {record.getMessage()}")

    handler = Keep(logging.WARNING)
    loggers = [logging.getLogger(n) for n in names]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        yield lines
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def _run_autograde(root: Path, tmp: Path, task: Task) -> tuple[bool, str]:
    """nbgrader's Autograde converter for one student, reading and writing under `tmp`."""
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    app = AutogradeApp()
    app.initialize([
        task.assignment,
        f"--student={task.student}",
        "--log-level=ERROR",
        f"--CourseDirectory.root={root}",
        f"--CourseDirectory.submitted_directory={tmp / 'submitted'}",
        f"--CourseDirectory.autograded_directory={tmp / 'autograded'}",
        f"--CourseDirectory.db_url={task.db_url}",
        f"--GradeWithEngine.course_root={root}",
    ])
    app.coursedir.assignment_id = task.assignment
    # nbgrader logs its errors to stderr itself; the captured copy explains a failure in the summary.
    with _captured_log((app.log.name, "traitlets", "graders")) as lines:
        app.log.propagate = False
        try:
            Autograde(coursedir=app.coursedir, parent=app).start()
        except NbGraderException as exc:
            errors = [ln for ln in lines if ln.startswith(("ERROR", "CRITICAL"))]
            return False, "\n".join(errors[-6:]) or str(exc)
    return True, ""


def grade_task(task: Task) -> Outcome:
    """Grade one submission; never raises for anything the submission does."""
    start = time.perf_counter()
    worker = f"{os.uname().nodename}:{os.getpid()}"
    root = Path(task.course_root)
    if not (root / "source" / task.assignment).is_dir():
        # A Dask worker on another machine: its own checkout of the course.
        from graders.settings import REPO_ROOT

        root = REPO_ROOT
    with _GRADING:
        # The PID in the name lets the parent clean up after a worker it had to kill.
        tmp = Path(tempfile.mkdtemp(prefix=f"convlab-batch-{os.getpid()}-"))
        old_cwd = os.getcwd()
        try:
            src = tmp / "submitted" / task.student / task.assignment
            for rel, data in task.files.items():
                path = src / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            os.chdir(root)
            with gradebook_db.serialised_gradebook(task.db_url), warnings.catch_warnings():
                # nbgrader's own SQLAlchemy autoflush noise (`make demo` silences it the same way).
                warnings.filterwarnings("ignore", message="Object of type")
                ok, error = _run_autograde(root, tmp, task)
            out: dict[str, tuple[bytes, int]] = {}
            dest = tmp / "autograded" / task.student / task.assignment
            if ok:
                for path in sorted(p for p in dest.rglob("*") if p.is_file()):
                    out[str(path.relative_to(dest))] = (path.read_bytes(), path.stat().st_mode & 0o777)
                if not any(rel.endswith(".ipynb") for rel in out):
                    ok, error = False, "nbgrader wrote no autograded notebook"
        except Exception as exc:  # noqa: BLE001 - a worker must answer, whatever went wrong
            log.exception("grading %s failed", task.student)
            ok, error, out = False, f"{type(exc).__name__}: {exc}", {}
        finally:
            os.chdir(old_cwd)
            shutil.rmtree(tmp, ignore_errors=True)
    return Outcome(task.student, task.assignment, ok, out, error, time.perf_counter() - start, worker)


def _worker_main(conn: Connection) -> None:
    # Own session: a Ctrl-C typed in the terminal reaches only the parent, which decides what stops.
    os.setsid()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    # Import before the first task so that its time limit measures grading, not start-up.
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    import graders.nbgrader_plugin  # noqa: F401
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        conn.send(STARTED)
        outcome = grade_task(task)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


# ------------------------------------------------------------------ the parent side


def submissions(course_root: Path, assignment: str, students: list[str] | None = None) -> list[str]:
    """Students with a `submitted/<student>/<assignment>/` folder (in the given order if named)."""
    base = course_root / "submitted"
    found = sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())
    if students:
        missing = [s for s in students if s not in found]
        if missing:
            raise SystemExit(f"no submission of {assignment} for: {', '.join(missing)}")
        return list(students)
    return found


def _timestamp(folder: Path) -> object | None:
    """The submission time in `timestamp.txt`, parsed as nbgrader's CourseDirectory does."""
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip()) if path.exists() else None
    except ValueError:
        return None


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def needs_grading(course_root: Path, assignment: str, student: str, in_gradebook: set[str],
                  force: bool) -> str:
    """Why this submission must be graded now ('' = it is graded and up to date)."""
    if force:
        return "forced"
    dest = course_root / "autograded" / student / assignment
    if not dest.is_dir() or not any(dest.glob("*.ipynb")):
        return "new"
    if student not in in_gradebook:
        return "not in this gradebook"
    src = course_root / "submitted" / student / assignment
    new, old = _timestamp(src), _timestamp(dest)
    if new is not None and old is not None and new > old:
        return "resubmitted (timestamp.txt)"
    graded_at = min(p.stat().st_mtime for p in dest.glob("*.ipynb"))
    if _newest_mtime(src) > graded_at:
        return "resubmitted (file changed)"
    return ""


def students_in_gradebook(url: str, assignment: str, course_id: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url, course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def read_task(course_root: Path, assignment: str, student: str, db_url: str) -> Task:
    src = course_root / "submitted" / student / assignment
    files = {str(p.relative_to(src)): p.read_bytes() for p in sorted(src.rglob("*")) if p.is_file()}
    return Task(student, assignment, str(course_root), db_url, files)


def commit(course_root: Path, outcome: Outcome) -> None:
    """Write the autograded folder under a staging name, then rename it into place."""
    auto = course_root / "autograded"
    staging = auto / STAGING / f"{outcome.student}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    new = staging / "new"
    for rel, (data, mode) in outcome.files.items():
        path = new / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, mode)
    dest = auto / outcome.student / outcome.assignment
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        os.rename(dest, staging / "old")
    os.rename(new, dest)
    shutil.rmtree(staging, ignore_errors=True)


def _descendants(proc: multiprocessing.process.BaseProcess) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return []


def _kill_tree(proc: multiprocessing.process.BaseProcess, known: list[psutil.Process] = ()) -> None:
    """Kill a worker and everything below it. `known`: descendants seen while it was alive, since
    the kernel of a worker that already died is no longer its child (psutil checks the PIDs' start
    times, so a recycled PID is never hit)."""
    family = [*_descendants(proc), *known]
    with contextlib.suppress(psutil.Error):
        family.append(psutil.Process(proc.pid))
    for p in family:
        with contextlib.suppress(psutil.Error):
            if p.is_running():
                p.kill()
    proc.join(5)
    for scratch in Path(tempfile.gettempdir()).glob(f"convlab-batch-{proc.pid}-*"):
        shutil.rmtree(scratch, ignore_errors=True)


class Progress:
    """A one-line progress bar with ETA and a running failure count (a line per result off a tty)."""

    def __init__(self, total: int, stream=sys.stderr) -> None:  # noqa: ANN001
        self.total, self.stream = total, stream
        self.done = self.failed = 0
        self.start = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    @staticmethod
    def _clock(seconds: float) -> str:
        seconds = int(max(0, seconds))
        return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600}h{seconds // 60 % 60:02d}"

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else None
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} graded, "
                f"{self.failed} failed, elapsed {self._clock(elapsed)}, "
                f"ETA {self._clock(eta) if eta is not None else '?'}")

    def update(self, line: StudentLine | None = None) -> None:
        if line is not None:
            self.done += 1
            self.failed += line.status == "failed"
        if self.tty:
            if line is not None and line.status == "failed":
                self.stream.write(f"\r\x1b[2Kfailed: {line.student}: {line.detail.splitlines()[0]}\n")
            self.stream.write("\r\x1b[2K" + self.line())
        elif line is not None:
            self.stream.write(f"{self.line()}  {line.student}: {line.status} ({line.seconds:.1f} s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


OnResult = Callable[[Outcome], StudentLine]


def run_local(tasks: list[Task], workers: int, timeout: float, on_result: OnResult,
              progress: Progress) -> None:
    """A pool of spawned worker processes; a dead worker's task is retried once on a new one."""
    ctx = multiprocessing.get_context("spawn")
    pending: deque[Task] = deque(tasks)
    idle: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    # conn -> (worker, task, when the worker started it or None while it is still starting up)
    busy: dict[Connection, tuple[multiprocessing.process.BaseProcess, Task, float | None]] = {}
    family: dict[Connection, list[psutil.Process]] = {}  # each busy worker's kernel and helpers, last seen

    def spawn() -> tuple[multiprocessing.process.BaseProcess, Connection]:
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(there,), daemon=True, name="convlab-grader")
        proc.start()
        there.close()
        return proc, here

    def lost(task: Task, why: str) -> None:
        if task.attempt < MAX_ATTEMPTS and "timed out" not in why:
            log.warning("%s: %s; retrying on a fresh worker", task.student, why)
            task.attempt += 1
            pending.appendleft(task)
        else:
            progress.update(on_result(Outcome(task.student, task.assignment, False, error=why)))

    try:
        while pending or busy:
            while pending and len(busy) < workers:
                proc, conn = idle.pop() if idle else spawn()
                task = pending.popleft()
                conn.send(task)
                busy[conn] = (proc, task, None)
            ready = wait(list(busy) + [p.sentinel for p, _, _ in busy.values()], timeout=1.0)
            for conn in list(busy):
                proc, task, started = busy[conn]
                if proc.is_alive():
                    family[conn] = _descendants(proc) or family.get(conn, [])
                if conn in ready or proc.sentinel in ready:
                    try:
                        outcome = conn.recv() if conn.poll() else None
                    except (EOFError, OSError):
                        outcome = None
                    if outcome == STARTED:
                        busy[conn] = (proc, task, time.monotonic())
                        continue
                    del busy[conn]
                    if outcome is None:
                        _kill_tree(proc, family.pop(conn, []))
                        lost(task, f"the grading worker died (exit code {proc.exitcode})")
                    else:
                        idle.append((proc, conn))
                        progress.update(on_result(outcome))
                elif started is not None and time.monotonic() - started > timeout:
                    del busy[conn]
                    _kill_tree(proc, family.pop(conn, []))
                    lost(task, f"timed out after {timeout:.0f} s; the worker and its kernel were killed")
    finally:
        # Normal end, Ctrl-C or error: no worker or kernel outlives the batch.
        for conn, (proc, _, _) in busy.items():
            _kill_tree(proc, family.get(conn, []))
        for proc, conn in idle:
            with contextlib.suppress(OSError):
                conn.send(None)
            proc.join(5)
            if proc.is_alive():
                _kill_tree(proc)


def run_dask(tasks: list[Task], scheduler: str, on_result: OnResult, progress: Progress,
             security: Any = None) -> None:
    """One Dask task per submission; a task lost with its worker is resubmitted once.

    security: a `distributed.security.Security`; by default the one Dask's configuration describes
    (`distributed.comm.tls.*`, e.g. DASK_DISTRIBUTED__COMM__TLS__CA_FILE), so a cluster that
    requires TLS client certificates is reached with them.
    """
    from distributed import Client, as_completed
    from distributed.security import Security

    run_id = uuid.uuid4().hex[:8]  # keys stay unique if two batches share a cluster
    with Client(scheduler, timeout="30s", security=security or Security()) as client:
        futures = {}
        for task in tasks:
            fut = client.submit(grade_task, task, pure=False,
                                key=f"grade-{task.assignment}-{task.student}-1-{run_id}")
            futures[fut.key] = (fut, task)
        done = as_completed([fut for fut, _ in futures.values()])
        try:
            for fut in done:
                task = futures[fut.key][1]
                try:
                    outcome = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, ...
                    if task.attempt < MAX_ATTEMPTS:
                        task.attempt += 1
                        retry = client.submit(grade_task, task, pure=False,
                                              key=f"grade-{task.assignment}-{task.student}-{task.attempt}-{run_id}")
                        futures[retry.key] = (retry, task)
                        done.add(retry)
                        continue
                    outcome = Outcome(task.student, task.assignment, False,
                                      error=f"Dask task failed: {type(exc).__name__}: {exc}")
                progress.update(on_result(outcome))
        except BaseException:
            client.cancel([f for f, _ in futures.values()])
            raise


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


def run_batch(course_root: Path, assignment: str, *, workers: int | None = None,
              students: list[str] | None = None, force: bool = False, db_url: str | None = None,
              scheduler: str | None = None, security: Any = None, timeout: float = DEFAULT_TIMEOUT,
              progress_stream=sys.stderr) -> BatchResult:  # noqa: ANN001
    """Grade every (or the named) submission of `assignment` that is not graded yet."""
    started = time.monotonic()
    course_root = course_root.resolve()
    if not (course_root / "source" / assignment).is_dir():
        raise SystemExit(f"no assignment {assignment!r} in {course_root / 'source'}")
    if not scheduler:
        # Refuse once, before any work, rather than once per submission (SandboxUnavailable).
        from graders.kernel import sandbox_note
        from graders.nbgrader_plugin import configured_settings

        sandbox_note(configured_settings(course_root))
    url = gradebook_db.resolve_db_url(db_url, course_root)
    course_id = gradebook_db.config_course_id(course_root)
    if scheduler and gradebook_db.backend(url) == "sqlite":
        log.warning("Dask workers share an SQLite gradebook only if they all see %s; use --db postgresql://...",
                    url)
    with gradebook_db.serialised_gradebook(url):
        if gradebook_db.ensure_assignment(url, course_root, assignment):
            print(f"added {assignment} to the gradebook {gradebook_db.redacted(url)}", file=progress_stream)
        graded = students_in_gradebook(url, assignment, course_id)
    lines: list[StudentLine] = []
    tasks: list[Task] = []
    for student in submissions(course_root, assignment, students):
        why = needs_grading(course_root, assignment, student, graded, force)
        if why:
            tasks.append(read_task(course_root, assignment, student, url))
        else:
            lines.append(StudentLine(student, "skipped", detail="already graded"))
    failures_path = course_root / "reports" / assignment / "failures.json"

    def on_result(outcome: Outcome) -> StudentLine:
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
        shutil.rmtree(course_root / "autograded" / STAGING, ignore_errors=True)
    if interrupted:
        got = {ln.student for ln in lines}
        lines += [StudentLine(t.student, "interrupted", detail="not graded: run again to continue")
                  for t in tasks if t.student not in got]
    _record_failures(failures_path, lines)
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
    from graders.class_report import gradebook_scores

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
