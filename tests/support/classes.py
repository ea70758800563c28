"""A class of submissions in a throw-away course, graded with `convlab batch` or nbgrader, and what to
compare.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission
from convlab.integration import gradebook_db
from convlab.settings import REPO_ROOT
from support.grading import ASSIGNMENT, NOTEBOOK, copy_course

BIN = Path(sys.executable).parent


ENV = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", PYTHONWARNINGS="ignore",
           PYTHONPATH=str(REPO_ROOT))


@functools.cache
def _template_course() -> Path:
    """A course copy with its gradebook, made once per test session and copied for each test."""
    course = copy_course(Path(tempfile.mkdtemp(prefix="convlab-batch-template-")) / "course",
                         ("source", "release", "graders", "solutions", "nbgrader_config.py"))
    with (course / "nbgrader_config.py").open("a") as fh:
        # Short limits keep a hanging submission short.
        fh.write("\nc.GradeWithEngine.cell_timeout = 8.0\nc.GradeWithEngine.call_timeout = 4.0\n"
                 "c.GradeWithEngine.item_cpu_seconds = 8.0\nc.GradeWithEngine.call_cpu_seconds = 4.0\n")
    done = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force",
                           "--log-level=ERROR"], cwd=course, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    atexit.register(shutil.rmtree, course.parent, True)
    return course


def make_course(dest: Path, students: dict[str, nbformat.NotebookNode | str]) -> Path:
    """A course copy with its gradebook and the given submissions (a str is written as raw text)."""
    course = dest / "course"
    shutil.copytree(_template_course(), course)
    for student, nb in students.items():
        if isinstance(nb, str):
            folder = course / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            (folder / f"{NOTEBOOK}.ipynb").write_text(nb)
        else:
            write_submission(nb, course / "submitted", student, ASSIGNMENT, NOTEBOOK)
    return course


def auto_scores(course: Path, url: str | None = None) -> dict[tuple[str, str], float | None]:
    """(student, cell) -> auto_score of every grade row in the gradebook."""
    url = url or f"sqlite:///{course / 'gradebook.db'}"
    rows = {}
    with Gradebook(url, "convlab") as gb:
        for sub in gb.find_assignment(ASSIGNMENT).submissions:
            for nb in sub.notebooks:
                for g in nb.grades:
                    rows[(sub.student.id, g.name)] = g.auto_score
    return rows


def assert_sessions_exclusive(url: str) -> None:
    """While this process holds a Gradebook open on `url`, another process cannot open one: it
    waits for the lock, then opens it."""
    code = ("import sys,time\nfrom convlab.integration import gradebook_db\nfrom nbgrader.api import Gradebook\n"
            "with gradebook_db.serialised_gradebook(sys.argv[1]):\n"
            "    print('ready', flush=True)\n    t=time.monotonic()\n    gb=Gradebook(sys.argv[1], 'convlab')\n"
            "    print(round(time.monotonic()-t, 2), flush=True)\n    gb.close()\n")
    with gradebook_db.serialised_gradebook(url):
        gb = Gradebook(url, "convlab")
        other = subprocess.Popen([sys.executable, "-c", code, url], env=ENV, stdout=subprocess.PIPE, text=True)
        assert other.stdout.readline().strip() == "ready"
        time.sleep(1.5)
        assert other.poll() is None, "the other process opened the gradebook while it was held"
        gb.close()
    out, _ = other.communicate(timeout=30)
    assert float(out.strip()) >= 1.0  # it waited for the lock


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

