"""Shared fixtures and helpers for every assignment's tests.

Grading starts a kernel, so graded results and reference notebooks are cached per session.
Assignments are discovered from `source/<assignment>/<notebook>.ipynb`; an assignment's tests pass
its own `assignment=` and `notebook=` to the helpers (02_conv1d is the default for older tests).
"""

from __future__ import annotations

import os

import nbformat
import pytest
from support import pg_server
from support.grading import ASSIGNMENT, reference_of, release_of

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Before any test imports TensorFlow: see SandboxSettings.extra_env for the oneDNN bug.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture(scope="session")
def reference_nb() -> nbformat.NotebookNode:
    return reference_of(ASSIGNMENT)


@pytest.fixture(scope="session")
def release_nb() -> nbformat.NotebookNode:
    return release_of(ASSIGNMENT)


@pytest.fixture(scope="module")
def pg_url():
    """A PostgreSQL gradebook URL on a throw-away local server (Debian's package), or a skip."""
    problem = pg_server.postgres_problem(install=True)
    if problem:
        pytest.skip(f"no PostgreSQL server can run here: {problem}")
    with pg_server.local_postgres() as url:
        yield url
