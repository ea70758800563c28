"""The gradebook on a real PostgreSQL server (Debian's package, started on loopback by the test):
`convlab batch --db postgresql://...` grades into it, nbgrader export and the class report read it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.classes import BIN, ENV, assert_sessions_exclusive, auto_scores, check_scores, make_course, small_class
from support.grading import ASSIGNMENT

pytestmark = pytest.mark.slow






def test_advisory_lock_serialises_sessions_across_processes(pg_url):
    assert_sessions_exclusive(pg_url)


def test_batch_into_postgres_matches_serial_engine_and_exports(pg_url, tmp_path):
    subs = small_class()
    course = make_course(tmp_path, subs)
    done = subprocess.run([sys.executable, "-m", "convlab", "--course-root", str(course), "batch", ASSIGNMENT,
                           "--workers", "2", "--db", pg_url], env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "added 02_conv1d to the gradebook" in done.stderr
    check_scores(auto_scores(course, pg_url), subs)
    # Nothing went to the SQLite gradebook of the course.
    assert not (course / "gradebook.db").exists() or not any(k[0] in subs for k in auto_scores(course))
    # nbgrader itself reads the PostgreSQL gradebook (export), and so does the class report.
    export = subprocess.run([str(BIN / "nbgrader"), "export", f"--db={pg_url}", "--to", "pg.csv",
                             "--log-level=ERROR"], cwd=course, env=ENV, capture_output=True, text=True)
    assert export.returncode == 0, export.stderr[-2000:]
    assert {line.split(",")[3] for line in (course / "pg.csv").read_text().splitlines()[1:]} == set(subs)
    grades = (course / "reports" / ASSIGNMENT / "grades.csv").read_text()
    assert "reference,16," in grades and "untouched,0," in grades
