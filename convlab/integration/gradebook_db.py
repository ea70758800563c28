"""Where the gradebook lives and how parallel writers take turns.

SQLite (`sqlite:///gradebook.db`, nbgrader's default) is the default; PostgreSQL is chosen with
`--db postgresql://user@host/db` or `c.CourseDirectory.db_url` in nbgrader_config.py. nbgrader opens a
short `Gradebook` session for each step (create student, overwrite cells, save grades, late penalty);
`serialised_gradebook` makes every such session of every batch worker exclusive, with a file lock
beside an SQLite file and a PostgreSQL advisory lock for a server (which works across machines).
The expensive part, running the student's notebook, happens outside those sessions.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.engine import make_url

from convlab import course

# Any fixed 64-bit number: the advisory lock's name shared by every batch worker.
PG_LOCK_KEY = 7_204_190_407
COURSE_ID = "convlab"


def config_db_url(course_root: Path) -> str:
    """`c.CourseDirectory.db_url` of the course's nbgrader_config.py (nbgrader's default if unset)."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    url = cfg.get("CourseDirectory", {}).get("db_url")
    return str(url) if url else "sqlite:///gradebook.db"


def config_course_id(course_root: Path) -> str:
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    return str(cfg.get("CourseDirectory", {}).get("course_id") or COURSE_ID)


def resolve_db_url(url: str | None, course_root: Path) -> str:
    """The gradebook URL with a relative SQLite path made absolute (nbgrader resolves it from the
    course root; worker processes and Dask workers may run elsewhere)."""
    url = url or config_db_url(course_root)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            return f"sqlite:///{(course_root / path).resolve()}"
    return url


def backend(url: str) -> str:
    return make_url(url).get_backend_name()


def redacted(url: str) -> str:
    """The URL without its password, for logs and reports."""
    return make_url(url).render_as_string(hide_password=True)


class _Lock:
    """A process-wide reentrant lock on the gradebook: nbgrader may open a session inside another."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.depth = 0
        self._fd: int | None = None
        self._pg = None  # psycopg2 connection holding the advisory lock's session

    def acquire(self) -> None:
        if self.depth == 0:
            kind = backend(self.url)
            if kind == "sqlite":
                path = make_url(self.url).database + ".lock"
                self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            elif kind == "postgresql":
                if self._pg is None:
                    import psycopg2

                    u = make_url(self.url)
                    self._pg = psycopg2.connect(host=u.host, port=u.port, user=u.username,
                                                password=u.password, dbname=u.database)
                    self._pg.autocommit = True
                with self._pg.cursor() as cur:
                    cur.execute("SELECT pg_advisory_lock(%s)", (PG_LOCK_KEY,))
        self.depth += 1

    def release(self) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self._unlock()

    def _unlock(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._pg is not None:
            with self._pg.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock_all()")

    def reset(self) -> None:
        """Drop the lock whatever the depth (a session nbgrader forgot to close)."""
        if self.depth:
            self.depth = 0
            self._unlock()

    def close(self) -> None:
        self.reset()
        if self._pg is not None:
            self._pg.close()
            self._pg = None


_patch_guard = threading.Lock()


@contextlib.contextmanager
def serialised_gradebook(url: str) -> Iterator[None]:
    """While active, every `nbgrader.api.Gradebook` opened in this process holds the gradebook lock
    from construction to `close()`, so sessions of parallel workers never overlap."""
    lock = _Lock(url)
    with _patch_guard:
        original_init, original_close = Gradebook.__init__, Gradebook.close

        def init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - same signature as nbgrader's
            lock.acquire()
            self._convlab_locked = True
            try:
                original_init(self, *args, **kwargs)
            except BaseException:
                self._convlab_locked = False
                lock.release()
                raise

        def close(self):  # noqa: ANN001, ANN202
            try:
                original_close(self)
            finally:
                if getattr(self, "_convlab_locked", False):
                    self._convlab_locked = False
                    lock.release()

        Gradebook.__init__, Gradebook.close = init, close
        try:
            yield
        finally:
            Gradebook.__init__, Gradebook.close = original_init, original_close
            lock.close()


def has_assignment(url: str, assignment: str, notebooks: list[str], course_id: str = COURSE_ID) -> bool:
    with Gradebook(url, course_id) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            return False
        return set(notebooks) <= {nb.name for nb in found.notebooks}


def ensure_assignment(url: str, course_root: Path, assignment: str) -> bool:
    """Put the assignment (notebooks, cells, points) into the gradebook when it is not there yet,
    as `nbgrader generate_assignment` does, without touching `release/`. True if it was added."""
    notebooks = course.notebooks(assignment, course_root)
    if has_assignment(url, assignment, notebooks, config_course_id(course_root)):
        return False
    with tempfile.TemporaryDirectory(prefix="convlab-release-") as tmp:
        nbgrader = Path(sys.executable).parent / "nbgrader"
        env = dict(os.environ, PATH=f"{nbgrader.parent}:{os.environ.get('PATH', '')}")
        done = subprocess.run(
            [str(nbgrader), "generate_assignment", assignment, "--force", "--log-level=ERROR",
             f"--CourseDirectory.release_directory={Path(tmp) / course.RELEASE}", f"--CourseDirectory.db_url={url}"],
            cwd=course_root, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"could not add {assignment} to the gradebook:\n{done.stderr[-2000:]}")
    return True


# --- A throw-away PostgreSQL server on loopback (tests, trying the PostgreSQL gradebook locally) ---
