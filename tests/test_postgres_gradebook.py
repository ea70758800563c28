"""The gradebook on a real PostgreSQL server (Debian's package, started on loopback by the test):
`convlab batch --db postgresql://...` grades into it, nbgrader export and the class report read it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ASSIGNMENT, NOTEBOOK
from test_batch import BIN, ENV, assert_sessions_exclusive, auto_scores, make_course

from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer

pytestmark = pytest.mark.slow


def small_class():
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    entry = {e.name: e for e in corpus(ASSIGNMENT)}["conv1d_no_flip"]
    return {"reference": reference, "untouched": release_notebook(ASSIGNMENT, NOTEBOOK),
            "no_flip": with_answer(reference, entry.function, entry.code)}


def check_scores(scores: dict[tuple[str, str], float | None], students) -> None:
    """Reference: every test cell full; untouched: all zero; no_flip: loses points on test_conv1d only.
    (tests/test_batch.py proves batch scores equal a serial nbgrader run cell by cell.)"""
    cells = {cell for _, cell in scores if cell.startswith("test_")}
    assert cells and all(scores[("untouched", c)] == 0 for c in cells)
    full = {c: scores[("reference", c)] for c in cells}
    assert all(v > 0 for v in full.values())
    if "no_flip" in students:
        assert 0 <= scores[("no_flip", "test_conv1d")] < full["test_conv1d"]
        assert all(scores[("no_flip", c)] == full[c] for c in cells if c != "test_conv1d")


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
