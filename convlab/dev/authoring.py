"""Instructor tooling: `solutions/<name>.py` is the one source of truth for reference answers.

`python -m convlab sync 02_conv1d` rewrites each solution cell of the source notebook from the
function of the same name in `solutions/conv1d.py`; `drift()` lists the cells that disagree (the
test suite fails on any).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import nbformat

from convlab.course import Assignment
from convlab.notebook import SOLUTION_BEGIN, SOLUTION_END, nbgrader_meta, strip_markers
from convlab.settings import REPO_ROOT


def solutions_module_name(assignment: str, notebook: str) -> str:
    """`solutions.<notebook>` (`06_object_detection/detection.ipynb` -> `solutions.detection`), as
    convlab/course.py maps every assignment."""
    return Assignment(assignment, notebook).solutions_module


def solution_cell_source(function_source: str) -> str:
    """The function with solution markers around its body (after the docstring)."""
    tree = ast.parse(function_source)
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef)
    lines = function_source.rstrip("\n").split("\n")
    first_body = fn.body[0]
    has_doc = isinstance(first_body, ast.Expr) and isinstance(first_body.value, ast.Constant)
    body_start = fn.body[1].lineno - 1 if has_doc else first_body.lineno - 1
    # Comments right above the first statement belong to the body too.
    while body_start > 0 and lines[body_start - 1].strip().startswith("#"):
        body_start -= 1
    indent = " " * (len(lines[body_start]) - len(lines[body_start].lstrip()))
    return "\n".join(lines[:body_start] + [indent + SOLUTION_BEGIN] + lines[body_start:] + [indent + SOLUTION_END])


def _functions(assignment: str, notebook: str) -> dict[str, str]:
    module = importlib.import_module(solutions_module_name(assignment, notebook))
    return {
        name: textwrap.dedent(inspect.getsource(obj))
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
    }


def _solution_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells
            if c.cell_type == "code" and nbgrader_meta(c).get("solution")]


def drift(assignment: str, notebook: str, course_root: Path = REPO_ROOT) -> list[str]:
    """Solution cells whose code differs from `solutions/` (compared as syntax trees)."""
    nb = nbformat.read(Assignment(assignment, notebook, course_root).source_notebook, as_version=4)
    functions = _functions(assignment, notebook)
    problems = []
    covered = set()
    for cell in _solution_cells(nb):
        grade_id = nbgrader_meta(cell)["grade_id"]
        if grade_id not in functions:
            problems.append(f"solution cell {grade_id!r} has no function in solutions/")
            continue
        covered.add(grade_id)
        got = ast.dump(ast.parse(strip_markers(cell.source)))
        want = ast.dump(ast.parse(functions[grade_id]))
        if got != want:
            problems.append(f"solution cell {grade_id!r} differs from solutions/")
    for name in sorted(set(functions) - covered):
        problems.append(f"solutions/ function {name!r} has no solution cell")
    return problems


def sync(assignment: str, notebook: str, course_root: Path = REPO_ROOT) -> list[str]:
    """Rewrite the source notebook's solution cells from `solutions/`; return the changed ids."""
    path = Assignment(assignment, notebook, course_root).source_notebook
    nb = nbformat.read(path, as_version=4)
    functions = _functions(assignment, notebook)
    changed = []
    for cell in _solution_cells(nb):
        grade_id = nbgrader_meta(cell)["grade_id"]
        if grade_id in functions:
            new = solution_cell_source(functions[grade_id])
            if new != cell.source:
                cell.source = new
                changed.append(grade_id)
    if changed:
        nbformat.write(nb, path)
    return changed
