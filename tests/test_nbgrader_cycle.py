"""The whole nbgrader cycle as a course runs it, through a real file-system exchange.

The instructor generates and releases 02_conv1d; two students (each with their own home folder and
nbgrader cache) fetch it, answer and submit: `alice` with the reference answers, `bob` with a typical
mistake from the corpus. The instructor collects, autogrades, gives the written answer a manual grade
(as formgrader does, through the gradebook), generates and releases feedback; the students fetch it;
the export holds each student's total. The expected totals are computed from an independent grading
of the same submissions by the engine, plus the manual grades set here.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from support.grading import copy_course

from convlab import engine
from convlab.dev.corpus import corpus
from convlab.notebook import nbgrader_meta, strip_markers

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
ASSIGNMENT, NOTEBOOK, COURSE_ID = "02_conv1d", "conv1d", "convlab"
MISTAKE = "conv1d_no_flip"  # bob's answer to `conv1d` (tests/corpus/02_conv1d/)
MANUAL = {"alice": 2.0, "bob": 0.5}  # the TA's grades for the written answer


def _run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=WARN"], cwd=cwd, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _answers(course: Path) -> dict[str, str]:
    """The reference answer of every solution cell, from the course's source notebook."""
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return {nbgrader_meta(c)["grade_id"]: strip_markers(c.source)
            for c in source.cells if nbgrader_meta(c).get("solution")}


def _answer(path: Path, answers: dict[str, str]) -> None:
    """Write `answers` (grade id -> source) into the fetched notebook, as a student would."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle")
    course = copy_course(tmp / "course")
    (tmp / "exchange").mkdir()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER"))}
    base_env.update(PATH=f"{BIN}:{os.environ['PATH']}", PYTHONWARNINGS="ignore")
    # Every command names the exchange; nothing is read from the real home's Jupyter config.
    instructor_env = dict(base_env, HOME=str(tmp / "instructor_home"))
    # The instructor's course id comes from nbgrader_config.py; students name it, as the README says.
    exchange = f"--Exchange.root={tmp / 'exchange'}"
    student_args = (exchange, f"--course={COURSE_ID}")

    instructor = lambda *args: _run(course, instructor_env, *args, exchange)  # noqa: E731
    instructor("generate_assignment", ASSIGNMENT, "--force")
    instructor("release_assignment", ASSIGNMENT)

    answers = _answers(course)
    mistake = next(e for e in corpus(ASSIGNMENT) if e.name == MISTAKE)
    student_answers = {"alice": answers, "bob": {**answers, mistake.function: mistake.code}}
    homes = {}
    for student, their_answers in student_answers.items():
        home = tmp / student
        home.mkdir()
        env = dict(base_env, HOME=str(home))
        _run(home, env, "fetch_assignment", ASSIGNMENT, *student_args)
        _answer(home / ASSIGNMENT / f"{NOTEBOOK}.ipynb", their_answers)
        # Both students are one Unix user here; --student names them (nbgrader uses the login otherwise).
        _run(home, env, "submit", ASSIGNMENT, f"--student={student}", *student_args)
        homes[student] = (home, env)

    instructor("collect", ASSIGNMENT)
    instructor("autograde", ASSIGNMENT)
    # What formgrader's "Manual Grading" page stores when a TA types a score.
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for student, score in MANUAL.items():
            grade = gb.find_grade("cross_correlation_answer", NOTEBOOK, ASSIGNMENT, student)
            grade.manual_score = score
        gb.db.commit()
    instructor("generate_feedback", ASSIGNMENT)
    instructor("release_feedback", ASSIGNMENT)
    for student, (home, env) in homes.items():
        _run(home, env, "fetch_feedback", ASSIGNMENT, f"--student={student}", *student_args)
    instructor("export", "--to", "grades.csv")
    return course, homes


@pytest.fixture(scope="module")
def expected_totals(cycle) -> dict[str, float]:
    """Each collected submission graded again by the engine alone, plus its manual grade."""
    course, homes = cycle
    totals = {}
    for student in homes:
        path = course / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        totals[student] = engine.grade(path, ASSIGNMENT, NOTEBOOK, course_root=course).score + MANUAL[student]
    return totals


def test_collect_finds_both_submissions(cycle):
    course, homes = cycle
    for student in homes:
        assert (course / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file(), student


def test_export_holds_the_expected_totals(cycle, expected_totals):
    course, _ = cycle
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())
            if r["assignment"] == ASSIGNMENT}
    got = {s: float(rows[s]["score"]) for s in expected_totals}
    assert got == pytest.approx(expected_totals, abs=1e-6)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    max_score = sum(nbgrader_meta(c).get("points", 0) for c in source.cells if nbgrader_meta(c).get("grade"))
    assert float(rows["alice"]["max_score"]) == max_score
    assert got["alice"] == pytest.approx(max_score), "the reference answers and a full manual grade"
    assert got["bob"] < max_score - (MANUAL["alice"] - MANUAL["bob"]), "the mistake costs points"


def test_students_fetch_feedback_that_names_tasks_and_the_mistake(cycle, expected_totals):
    _, homes = cycle
    for student, (home, _) in homes.items():
        pages = list((home / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html"))
        assert len(pages) == 1, f"{student} fetched {pages}"
        html = pages[0].read_text()
        assert f"(Score: {round(expected_totals[student], 2)} / " in html, student
        # The contents list names every task with its score (the course's feedback template).
        assert "<code>conv1d</code></a> (Score:" in html and "<code>moving_average</code></a> (Score:" in html
        assert "Test cell" not in html
    bob = next((homes["bob"][0] / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html")).read_text()
    message = next(e for e in corpus(ASSIGNMENT) if e.name == MISTAKE).message
    assert message in bob
