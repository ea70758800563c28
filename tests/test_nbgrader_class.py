"""A whole class through real `nbgrader autograde` / `generate_feedback` / `export` on SQLite:
reference, untouched, broken notebooks and tampering attempts side by side in one batch."""

from __future__ import annotations

import copy
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from support.grading import ASSIGNMENT, NOTEBOOK, copy_course
from support.snoop import SNOOP

from convlab.dev.corpus import reference_submission, release_notebook, with_answer, write_submission
from convlab.notebook import nbgrader_meta

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def tamper_code(course: Path) -> dict[str, str]:
    """Attacks placed in the conv1d answer cell of an otherwise untouched release notebook."""
    solutions = course / "solutions" / "conv1d.py"
    return {
        "import_graders": "from solutions.conv1d import *\nimport graders\n",
        "monkeypatch": (
            "import builtins\nimport numpy as np\nnp.allclose = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True\n"
            "builtins.isinstance = lambda *a: True\n"
            "def conv1d(x, w, mode='full'):\n    return np.zeros(3)\n"
        ),
        "fake_score": "print('Score: 16.0 / 16.0')\nimport sys\nprint('4.0', file=sys.stderr)\n16.0\n",
        "sys_exit": "import sys\nsys.exit(0)\n",
        "os_exit_in_function": "import os\ndef conv1d(x, w, mode='full'):\n    os._exit(0)\n",
        "system_exit_and_keyboard_interrupt": (
            "def conv1d(x, w, mode='full'):\n    raise KeyboardInterrupt\n"
            "raise SystemExit(3)\n"
        ),
        "kill_parent": (
            "import os, signal\nimport psutil\n"
            "for target in (os.getppid(), 1):\n    try:\n        os.kill(target, signal.SIGKILL)\n"
            "    except Exception:\n        pass\n"
            "for p in psutil.process_iter():\n    try:\n        p.kill()\n    except Exception:\n        pass\n"
        ),
        "sigint_proof_loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
        "sigint_proof_function": (
            "def conv1d(x, w, mode='full'):\n    import signal\n"
            "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass\n"
        ),
        "allocate_20gb": "import numpy as np\nbig = np.ones(20 * 2**30 // 8)\n",
        "fork": (
            "import os\nfor _ in range(4):\n    if os.fork() == 0:\n        while True:\n"
            "            pass\n"
        ),
        "always_equal_object": (
            "class Same:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n"
            "def conv1d(x, w, mode='full'):\n    return Same()\n"
        ),
        "ndarray_subclass": (
            "import numpy as np\nclass Liar(np.ndarray):\n    def __eq__(self, other):\n"
            "        return np.ones(np.shape(other), bool)\n"
            "def conv1d(x, w, mode='full'):\n    return np.full(len(x) + len(w) - 1, 7.0).view(Liar)\n"
        ),
        "read_solutions_by_path": (
            f"exec(open({str(solutions)!r}).read())\n"
        ),
        "read_gradebook_and_source": (
            f"data = open({str(course / 'gradebook.db')!r}, 'rb').read()\n"
            f"src = open({str(course / 'source' / ASSIGNMENT / (NOTEBOOK + '.ipynb'))!r}).read()\n"
            "import json\nfor c in json.loads(src)['cells']:\n"
            "    if 'def conv1d' in ''.join(c['source']):\n        exec(''.join(c['source']))\n"
        ),
    }


def _set_test_cells(nb, source=None, points=None):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            if source is not None:
                cell.source = source
            if points is not None:
                meta["points"] = points
    return nb


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("course"),
                         ("source", "release", "graders", "solutions", "nbgrader_config.py"))
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.GradeWithEngine.cell_timeout = 8.0\nc.GradeWithEngine.call_timeout = 4.0\n"
                 "c.GradeWithEngine.item_cpu_seconds = 8.0\nc.GradeWithEngine.call_cpu_seconds = 4.0\n")
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", PYTHONWARNINGS="ignore")
    run = lambda *args: subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=ERROR"],  # noqa: E731
                                       cwd=course, env=env, capture_output=True, text=True)
    assert run("generate_assignment", ASSIGNMENT, "--force").returncode == 0

    reference = reference_submission(ASSIGNMENT, NOTEBOOK, course)
    release = release_notebook(ASSIGNMENT, NOTEBOOK, course)
    expected: dict[str, float] = {"reference": 16.0, "untouched": 0.0}
    subs = {"reference": reference, "untouched": release}
    ref_no_test = copy.deepcopy(reference)
    ref_no_test.cells = [c for c in ref_no_test.cells if nbgrader_meta(c).get("grade_id") != "test_conv1d"]
    subs["deleted_test_cell"] = ref_no_test
    subs["points_changed_on_reference"] = _set_test_cells(reference, points=100)
    ref_kernel = copy.deepcopy(reference)
    ref_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    subs["kernelspec_changed"] = ref_kernel
    dup = copy.deepcopy(reference)
    dup.cells = dup.cells + [copy.deepcopy(c) for c in dup.cells if nbgrader_meta(c).get("grade_id") == "conv1d"]
    subs["duplicated_cell"] = dup
    expected.update(dict.fromkeys(["deleted_test_cell", "points_changed_on_reference",
                                   "kernelspec_changed", "duplicated_cell"], 16.0))
    subs["tamper_edit_test_cells"] = _set_test_cells(release, source="16.0")
    subs["tamper_points_changed"] = _set_test_cells(release, points=1000)
    for name, code in tamper_code(course).items():
        subs[f"tamper_{name}"] = with_answer(release, "conv1d", code)
    # Secrets of a real course root; a submission walks the disk for them and for any conv1d it can run.
    token = f"CONVLAB-CANARY-{secrets.token_hex(8)}"
    (course / "grades.csv").write_text(f"student,score\nalice,{token}\n")
    (course / "downloaded" / ASSIGNMENT / "archive").mkdir(parents=True)
    (course / "downloaded" / ASSIGNMENT / "archive" / "bob_conv1d.py").write_text(
        f"# {token}\n" + (course / "solutions" / "conv1d.py").read_text())
    walk = SNOOP + (
        "_seen = _snoop([], 1)\nfor _t in _seen['found'].values():\n    exec(_t)\n"
        "print('LEAK', _seen['found'])\n")
    subs["tamper_walk_the_disk"] = with_answer(release, "conv1d", walk)
    for name in subs:
        expected.setdefault(name, 0.0)
    for student, nb in subs.items():
        write_submission(nb, course / "submitted", student, ASSIGNMENT, NOTEBOOK)
    broken = course / "submitted" / "broken_json" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{NOTEBOOK}.ipynb").write_text('{"cells": [ {"cell_type": "code", "source": "tru')
    expected["broken_json"] = 0.0
    no_cells = course / "submitted" / "not_a_notebook" / ASSIGNMENT
    no_cells.mkdir(parents=True)
    (no_cells / f"{NOTEBOOK}.ipynb").write_text(json.dumps({"hello": "world"}))
    expected["not_a_notebook"] = 0.0

    autograde = run("autograde", ASSIGNMENT, "--force")
    leaked = [str(p) for p in course.glob("autograded/**/*.ipynb") if token in p.read_text()]
    assert not leaked, f"canary in autograded notebooks: {leaked}"
    feedback = run("generate_feedback", ASSIGNMENT, "--force")
    export = run("export", "--to", "grades.csv")
    return course, expected, autograde, feedback, export


def _auto_scores(course: Path) -> dict[str, float]:
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "convlab") as gb:
        for student in gb.students:
            nb = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student.id)
            scores[student.id] = sum((g.auto_score or 0.0) for g in nb.grades if g.cell_type == "code")
    return scores


def test_batch_completes(graded_class):
    _, _, autograde, feedback, export = graded_class
    assert autograde.returncode == 0, autograde.stderr[-3000:]
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    assert export.returncode == 0, export.stderr[-3000:]


def test_every_submission_gets_its_expected_score(graded_class):
    course, expected, *_ = graded_class
    scores = _auto_scores(course)
    wrong = {s: (scores.get(s), want) for s, want in expected.items()
             if scores.get(s) is None or abs(scores[s] - want) > 1e-6}
    assert not wrong, f"(got, expected) per student: {wrong}"


def test_every_test_cell_has_a_score_within_its_points(graded_class):
    course, *_ = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "convlab") as gb:
        for student in gb.students:
            nb = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student.id)
            for g in nb.grades:
                if g.cell_type == "code":
                    assert g.auto_score is not None and 0 <= g.auto_score <= g.max_score, (student.id, g.name)


def test_feedback_is_clean_and_explains(graded_class):
    course, *_ = graded_class
    fb = course / "feedback"
    broken = (fb / "broken_json" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "not valid JSON" in broken
    for html in fb.glob(f"*/{ASSIGNMENT}/{NOTEBOOK}.html"):
        text = html.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "# checks:" not in text, html
        assert "test_conv1d.py" not in text and "expect_array" not in text, html
    untouched = (fb / "untouched" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "not implemented yet" in untouched
    loop = (fb / "tamper_sigint_proof_function" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "infinite loop" in loop


def test_grades_csv_lists_everyone(graded_class):
    course, expected, *_ = graded_class
    rows = (course / "grades.csv").read_text().splitlines()
    students = {line.split(",")[3] for line in rows[1:]}
    header = rows[0].split(",")
    assert header[3] == "student_id"
    assert set(expected) <= students
