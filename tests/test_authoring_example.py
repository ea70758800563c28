"""README's worked example, followed literally on a copy of the course: the blocks marked
`<!-- example: ... -->` are applied as the guide says, the notebook is synced, and the result is
graded in a fresh process (the copy's `graders` and `solutions`, not this checkout's).

The reference answer gets every point of the new task; the example's corpus entry loses the new
check, with the message its header promises."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support.grading import copy_course

from convlab.dev.corpus import CorpusEntry, read_corpus_entry, with_answer
from convlab.settings import REPO_ROOT

ASSIGNMENT, NOTEBOOK = "02_conv1d", "conv1d"
MARKER = re.compile(r"<!-- example: (?P<what>[^>]*?) -->\n```python\n(?P<code>.*?)```", re.S)


def _steps() -> list[tuple[str, str]]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Worked example"):]
    section = section[:section.index("\n## ")]
    return [(m["what"].strip(), m["code"]) for m in MARKER.finditer(section)]


def _nbgrader(grade_id: str, *, solution: bool, points: int | None = None) -> dict:
    meta = {"grade_id": grade_id, "schema_version": 3, "solution": solution, "task": False,
            "grade": points is not None, "locked": not solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _convlab(root: Path, *args: str) -> subprocess.CompletedProcess:
    # Run from the copy, so `graders` and `solutions` are imported from it.
    return subprocess.run([sys.executable, "-m", "convlab", "--course-root", str(root), *args], cwd=root,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": ""})


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, CorpusEntry]:
    root = copy_course(tmp_path_factory.mktemp("authoring") / "course",
                       ("source", "release", "graders", "solutions", "nbgrader_config.py"))
    steps = _steps()
    assert [w.split()[0] for w, _ in steps] == ["append", "test-cell", "append", "append", "new"], steps
    source = root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    entry = None
    for what, code in steps:
        verb, target, *rest = what.split()
        if verb == "append":
            path = root / target
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n\n" + code, encoding="utf-8")
        elif verb == "test-cell":
            nb = nbformat.read(source, as_version=4)
            grade_id, points = target, int(rest[0])
            nb.cells.append(nbformat.v4.new_code_cell("def signal_energy(x): ...",
                                                      metadata=_nbgrader("signal_energy", solution=True)))
            nb.cells.append(nbformat.v4.new_code_cell(code.rstrip("\n"),
                                                      metadata=_nbgrader(grade_id, solution=False, points=points)))
            nbformat.write(nb, source)
        else:
            path = root / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
            entry = read_corpus_entry(path)
    synced = _convlab(root, "sync", ASSIGNMENT)
    assert synced.returncode == 0, synced.stderr
    return root, entry


def _graded(root: Path, nb: nbformat.NotebookNode, name: str) -> dict:
    path = root / "work" / name / f"{NOTEBOOK}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    run = _convlab(root, "check", str(path), "--assignment", ASSIGNMENT, "--json")
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    return {c["id"]: c for c in result["items"]}


def test_the_synced_answer_cell_holds_the_reference(course):
    root, _ = course
    nb = nbformat.read(root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "signal_energy")
    assert "### BEGIN SOLUTION" in answer.source and "np.sum(x * x)" in answer.source


def test_the_reference_gets_the_new_points_and_the_corpus_entry_loses_them(course):
    root, entry = course
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    reference = _graded(root, source, "reference")
    check = reference["signal_energy_values"]
    assert check["score"] == check["max_score"] == 1.0, check
    assert all(c["score"] == c["max_score"] for c in reference.values()), "the other tasks keep their points"

    wrong = _graded(root, with_answer(source, "signal_energy", entry.answer), "wrong")
    assert entry.function == "signal_energy" and entry.loses == ("signal_energy_values",)
    lost = wrong["signal_energy_values"]
    assert lost["score"] < lost["max_score"], lost
    assert entry.message in lost["message"] and lost["mistake_id"] == "energy_of_abs", lost
    assert all(c["score"] == c["max_score"] for cid, c in wrong.items() if cid not in entry.loses)
