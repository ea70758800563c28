"""What the notebooks and the README tell students and staff agrees with the data it describes:
the points in each introduction and in the README's table equal the notebook's metadata, the
grading limits quoted equal nbgrader_config.py, and every visible check explains its failure."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from convlab.notebook import nbgrader_meta
from convlab.settings import REPO_ROOT

# The five notebooks issue 14 covers; later assignments join when their notebooks follow the same text.
ASSIGNMENTS = ["01_image_tasks", "02_conv1d", "03_conv2d", "04_stacked_convs", "05_keras_cnn",
               "06_object_detection", "07_segmentation"]
HIDDEN = "### BEGIN HIDDEN TESTS"


def _notebook(assignment: str) -> nbformat.NotebookNode:
    (path,) = (REPO_ROOT / "source" / assignment).glob("*.ipynb")
    return nbformat.read(path, as_version=4)


def _points(nb: nbformat.NotebookNode) -> tuple[float, float]:
    """(automatic, by hand): test cells are graded automatically, graded answers by hand."""
    auto = manual = 0.0
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            if cell.cell_type == "code" and not meta.get("solution"):
                auto += meta["points"]
            else:
                manual += meta["points"]
    return auto, manual


def _limits() -> dict[str, float]:
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config()
    return dict(cfg["GradeWithEngine"])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_introduction_states_the_points_and_a_time(assignment):
    nb = _notebook(assignment)
    auto, manual = _points(nb)
    intro = nb.cells[0].source
    stated = (f"**Points and time.** {auto:g} points are graded automatically and {manual:g} by hand "
              f"(the written answer), {auto + manual:g} in all. Plan about ")
    assert stated in intro, f"{assignment}: the introduction should say {stated!r}"
    assert re.search(re.escape(stated) + r"\S+ hours of work", intro), f"{assignment}: no time estimate"


MINUTES_PER_POINT = 8  # the one rule every notebook's time estimate follows, stated in each introduction


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_time_estimate_follows_the_one_stated_rule(assignment):
    auto, manual = _points(_notebook(assignment))
    intro = _notebook(assignment).cells[0].source
    half_hours = round((auto + manual) * MINUTES_PER_POINT / 30)
    hours = f"{half_hours // 2}{'½' if half_hours % 2 else ''}"
    assert f"Plan about {hours} hours of work" in intro, f"{assignment}: expected {hours} hours by the rule"
    assert f"({MINUTES_PER_POINT} minutes per point, rounded to the half hour" in intro, f"{assignment}: the rule is not stated"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_readme_table_states_the_points(assignment):
    auto, manual = _points(_notebook(assignment))
    row = next(line for line in (REPO_ROOT / "README.md").read_text().splitlines()
               if line.startswith(f"| `{assignment}` |"))
    assert f"| {auto:g} + {manual:g} by hand |" in row, row


def test_quoted_limits_are_the_configured_ones():
    limits = _limits()
    cpu, wait = f"{limits['item_cpu_seconds']:g} s of CPU time", f"{limits['cell_timeout']:g} s of waiting"
    intro = _notebook("05_keras_cnn").cells[0].source
    assert cpu in intro and wait in intro, f"05's introduction should quote {cpu!r} and {wait!r}"
    readme = (REPO_ROOT / "README.md").read_text()
    assert cpu in readme and wait in readme, f"README should quote {cpu!r} and {wait!r}"
    # No other per-cell limit is quoted anywhere students or staff read.
    for text, where in [(intro, "05 introduction"), (readme, "README")]:
        for number in re.findall(r"cut at (\d+) ?s", text):
            assert float(number) in (limits["item_cpu_seconds"], limits["cell_timeout"]), (where, number)


def _unexplained(source: str) -> list[int]:
    """Lines of the asserts (and `raise AssertionError`) in `source` whose message is not an f-string:
    a constant message can say what was expected, never what came."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            message = node.msg
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            message = node.exc.args[0] if node.exc.args else None
        else:
            continue
        if not isinstance(message, ast.JoinedStr):
            lines.append(node.lineno)
    return lines


def test_unexplained_asserts_are_found():
    source = ('assert x == 1\nassert y, "y must be true"\nassert z == 2, f"expected 2, got {z}"\n'
              'raise AssertionError("no")\nraise AssertionError(f"got {x}")\n')
    assert _unexplained(source) == [1, 2, 4]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_visible_check_says_what_was_expected_and_what_came(assignment):
    bare, count = [], 0
    for cell in _notebook(assignment).cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            visible = cell.source.split(HIDDEN)[0]
            count += visible.count("assert")
            bare += [f"{meta['grade_id']} line {line}" for line in _unexplained(visible)]
    assert count, f"{assignment}: no visible checks found"
    assert not bare, f"{assignment}: visible checks without an expected/got message: {bare}"


def test_training_times_agree_between_notebook_and_readme():
    """05's training cost is quoted in one form everywhere (measured by `python -m convlab.dev.cell_times`)."""
    pattern = r"about (\d+) and (\d+) CPU-seconds"
    notebook = re.findall(pattern, _notebook("05_keras_cnn").cells[0].source)
    readme = re.findall(pattern, (REPO_ROOT / "README.md").read_text())
    assert notebook and len(readme) >= 2, (notebook, readme)
    assert set(readme) == set(notebook), f"README says {readme}, the notebook {notebook}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_ta_guide_has_a_rubric_for_every_hand_graded_cell(assignment):
    readme = (REPO_ROOT / "README.md").read_text()
    guide = readme[readme.index("## Guide for TAs"):]
    for cell in _notebook(assignment).cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and (cell.cell_type == "markdown" or meta.get("solution")):
            row = f"| `{assignment}` | `{meta['grade_id']}` | {meta['points']:g} | **"
            assert row in guide, f"the TA guide needs a rubric row starting {row!r}"
