"""One source of truth: solution cells match solutions/, release/ matches a fresh generation,
notebooks are committed without outputs, and every check a notebook names exists."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support.grading import copy_course

from convlab import course
from convlab.dev import authoring
from convlab.engine import grader_dir
from convlab.notebook import hidden_checks, nbgrader_meta, read_layout
from convlab.runner.pytest_plugin import run_checks
from convlab.settings import REPO_ROOT

NOTEBOOKS = [a.source_notebook for a in course.assignments()]
IDS = [f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solution_cells_match_solutions_module(path):
    assert authoring.drift(path.parent.name, path.stem) == []


def test_drift_is_detected(tmp_path):
    """The sync check itself can fail: change one solution cell and it must be reported."""
    course = tmp_path / "course"
    shutil.copytree(REPO_ROOT / "source", course / "source")
    path = course / "source" / "02_conv1d" / "conv1d.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == "conv1d":
            cell.source = cell.source.replace("y[out] = total", "y[out] = -total")
    nbformat.write(nb, path)
    assert authoring.drift("02_conv1d", "conv1d", course) == ["solution cell 'conv1d' differs from solutions/"]


@pytest.mark.parametrize("folder", ["source", "release"])
def test_notebooks_have_no_outputs(folder):
    for path in REPO_ROOT.glob(f"{folder}/*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, f"{path}: clear outputs"


def _comparable(path: Path) -> list[tuple]:
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, json.dumps(c.metadata.get("nbgrader", {}), sort_keys=True))
            for c in nb.cells]


@pytest.mark.slow
def test_release_equals_fresh_generate_assignment(tmp_path):
    course = copy_course(tmp_path / "course")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    for assignment in sorted(p.name for p in (REPO_ROOT / "source").iterdir() if p.is_dir()):
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment",
                        assignment, "--force", "--log-level=ERROR"], cwd=course, env=env, check=True)
    for path in NOTEBOOKS:
        rel = Path("release") / path.parent.name / path.name
        assert _comparable(REPO_ROOT / rel) == _comparable(course / rel), f"{rel} is stale: make release"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_release_has_no_hidden_tests_or_solutions(path):
    text = (REPO_ROOT / "release" / path.parent.name / path.name).read_text()
    assert "BEGIN HIDDEN TESTS" not in text and "# checks:" not in text
    assert "BEGIN SOLUTION" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_named_check_exists(path):
    layout = read_layout(nbformat.read(path, as_version=4))
    named = {c for item in layout.items for c in item.checks}
    collected = run_checks(grader_dir(REPO_ROOT, path.parent.name), None, None)
    assert named <= set(collected.collected), f"missing graders: {named - set(collected.collected)}"
    assert set(collected.collected) <= named, "graders that no test cell names would never count"


def test_hidden_block_parsing():
    src = "visible()\n### BEGIN HIDDEN TESTS\n# checks: a_b c\n### END HIDDEN TESTS\n"
    assert hidden_checks(src) == ("a_b", "c")
    assert hidden_checks("# checks: outside_the_block\n") == ()
