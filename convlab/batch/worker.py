"""The worker side (any process, local or a Dask worker): grade one submission with nbgrader."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from convlab import course
from convlab.batch.tasks import STARTED, Task, TaskResult
from convlab.integration import gradebook_db

log = logging.getLogger(__name__)

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
        f"--CourseDirectory.submitted_directory={tmp / course.SUBMITTED}",
        f"--CourseDirectory.autograded_directory={tmp / course.AUTOGRADED}",
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


def grade_task(task: Task) -> TaskResult:
    """Grade one submission; never raises for anything the submission does."""
    start = time.perf_counter()
    worker = f"{os.uname().nodename}:{os.getpid()}"
    root = Path(task.course_root)
    if not course.source_dir(task.assignment, root).is_dir():
        # A Dask worker on another machine: its own checkout of the course.
        from convlab.settings import REPO_ROOT

        root = REPO_ROOT
    with _GRADING:
        # The PID in the name lets the parent clean up after a worker it had to kill.
        tmp = Path(tempfile.mkdtemp(prefix=f"convlab-batch-{os.getpid()}-"))
        old_cwd = os.getcwd()
        try:
            src = course.submitted_dir(task.student, task.assignment, tmp)
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
            dest = course.autograded_dir(task.student, task.assignment, tmp)
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
    return TaskResult(task.student, task.assignment, ok, out, error, time.perf_counter() - start, worker)


def _worker_main(conn: Connection) -> None:
    # Own session: a Ctrl-C typed in the terminal reaches only the parent, which decides what stops.
    os.setsid()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    # Import before the first task so that its time limit measures grading, not start-up.
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    import convlab.integration.nbgrader_plugin  # noqa: F401
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
