"""Shared fixtures: graded results are cached per session because each grading starts a kernel."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from graders import engine
from graders.engine import NotebookResult
from graders.settings import REPO_ROOT

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ASSIGNMENT, NOTEBOOK = "02_conv1d", "conv1d"


def grade_nb(nb: nbformat.NotebookNode, tmp: Path, name: str = "sub") -> NotebookResult:
    """Grade a notebook written to disk, as `graders check` does."""
    folder = tmp / name / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{NOTEBOOK}.ipynb"
    nbformat.write(nb, path)
    return engine.grade(path, ASSIGNMENT, NOTEBOOK, course_root=REPO_ROOT)


def scores_by_check(result: NotebookResult) -> dict[str, tuple[float, float, str]]:
    return {c.check_id: (c.score, c.max_score, c.message) for i in result.items for c in i.checks}


@pytest.fixture(scope="session")
def reference_nb() -> nbformat.NotebookNode:
    from graders.submissions import reference_submission

    return reference_submission(ASSIGNMENT, NOTEBOOK)


@pytest.fixture(scope="session")
def release_nb() -> nbformat.NotebookNode:
    from graders.submissions import release_notebook

    return release_notebook(ASSIGNMENT, NOTEBOOK)
