"""requirements-student.txt gives students every module the release notebooks import, at the
grading environment's versions (requirements.txt). The import list is read from the notebooks'
code cells and the Python files shipped beside them, so a new import cannot go unnoticed."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import nbformat
import pytest

from convlab.settings import REPO_ROOT

RELEASES = sorted(p for p in (REPO_ROOT / "release").iterdir() if p.is_dir())


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned with =="
            pins[_normal(name)] = version.strip()
    return pins


def _top_level_imports(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _code_of(folder: Path) -> list[tuple[str, str]]:
    """(where, source) of every notebook code cell and shipped Python file of a release folder."""
    code = [(path.name, path.read_text()) for path in folder.glob("*.py")]
    for path in folder.glob("*.ipynb"):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":
                # IPython magics and shell escapes are not Python; they import nothing.
                lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
                code.append((f"{path.name} cell {index}", "\n".join(lines)))
    return code


def test_there_are_releases():
    assert len(RELEASES) >= 5, RELEASES


@pytest.mark.parametrize("folder", RELEASES, ids=[p.name for p in RELEASES])
def test_every_import_of_the_release_is_provided(folder):
    provided = set(_pins(REPO_ROOT / "requirements-student.txt"))
    shipped = {p.stem for p in folder.glob("*.py")}
    distributions = packages_distributions()
    missing = {}
    for where, source in _code_of(folder):
        for module in _top_level_imports(source) - shipped - set(sys.stdlib_module_names) - {"__main__"}:
            owners = {_normal(d) for d in distributions.get(module, [])}
            if not owners & provided:
                missing[module] = (where, sorted(owners) or "not installed in .venv")
    assert not missing, f"imported but not in requirements-student.txt: {missing}"


def test_student_pins_equal_the_grading_environment():
    grading = _pins(REPO_ROOT / "requirements.txt")
    student = _pins(REPO_ROOT / "requirements-student.txt")
    differ = {name: (version, grading.get(name)) for name, version in student.items() if grading.get(name) != version}
    assert not differ, f"(requirements-student.txt, requirements.txt) versions: {differ}"


def test_the_import_reader_sees_imports():
    """The check above can fail: the reader finds plain, dotted, from- and nested imports."""
    source = "import os, numpy.linalg as la\nfrom sklearn.metrics import f1_score\ndef f():\n    import keras\n"
    assert _top_level_imports(source) == {"os", "numpy", "sklearn", "keras"}
