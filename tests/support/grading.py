"""Grading notebooks in tests: the course's assignments, reference and release notebooks (cached), and
copies of the course.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

import nbformat

from convlab import course, engine
from convlab.results import NotebookResult
from convlab.settings import REPO_ROOT

ASSIGNMENT, NOTEBOOK = "02_conv1d", "conv1d"
# assignment -> notebook name, for every source notebook in the course.
NOTEBOOKS: dict[str, str] = {a.id: a.notebook for a in course.assignments()}


def grade_nb(nb: nbformat.NotebookNode, tmp: Path, name: str = "sub", *, assignment: str = ASSIGNMENT,
             notebook: str | None = None) -> NotebookResult:
    """Grade a notebook written to disk, as `convlab check` does."""
    notebook = notebook or NOTEBOOKS[assignment]
    folder = tmp / name / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook}.ipynb"
    nbformat.write(nb, path)
    return engine.grade(path, assignment, notebook, course_root=REPO_ROOT)


def scores_by_check(result: NotebookResult) -> dict[str, tuple[float, float, str]]:
    return {c.check_id: (c.score, c.max_score, c.message) for i in result.items for c in i.checks}


@functools.cache
def reference_of(assignment: str) -> nbformat.NotebookNode:
    """The release notebook of `assignment` with every answer filled in from the source."""
    from convlab.dev.corpus import reference_submission

    return reference_submission(assignment, NOTEBOOKS[assignment])


@functools.cache
def graded_reference(assignment: str) -> NotebookResult:
    """The reference submission of `assignment` graded once per test session (kernels cost seconds,
    TensorFlow trainings tens of seconds): every module asking for it shares the one result."""
    return grade_nb(reference_of(assignment), Path(tempfile.mkdtemp(prefix="convlab-ref-")), "reference",
                    assignment=assignment)


@functools.cache
def release_of(assignment: str) -> nbformat.NotebookNode:
    from convlab.dev.corpus import release_notebook

    return release_notebook(assignment, NOTEBOOKS[assignment])


def copy_course(dest: Path, names: tuple[str, ...] = ("source", "graders", "solutions", "nbgrader_config.py")) -> Path:
    """A throw-away copy of the course root (for tests that run nbgrader or change files)."""
    dest.mkdir(parents=True, exist_ok=True)
    if "nbgrader_config.py" in names:
        names = (*names, "templates")  # the config selects the feedback template kept there
    for name in names:
        src = REPO_ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    return dest

