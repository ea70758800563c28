"""`make demo`: a small class graded end to end by nbgrader with our engine, on SQLite."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from convlab import course
from convlab.batch.class_report import read_feedback
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission
from convlab.settings import REPO_ROOT

# Typical mistakes shown in the demo (the first that exist in the corpus).
DEMO_MISTAKES = ("conv1d_no_flip", "conv1d_layer_same_pytorch_padding", "conv1d_np_convolve")


def _nbgrader(*args: str) -> None:
    cmd = [str(Path(sys.executable).parent / "nbgrader"), *args, "--log-level=WARN"]
    print("$ nbgrader", " ".join(args), flush=True)
    env = dict(os.environ, PYTHONWARNINGS="ignore:Object of type")
    done = subprocess.run(cmd, cwd=REPO_ROOT, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {args[0]} failed with exit code {done.returncode}")


def write_demo_class(assignment: str, notebook: str, submitted: Path) -> list[str]:
    reference = reference_submission(assignment, notebook)
    students = {"reference": reference, "untouched": release_notebook(assignment, notebook)}
    entries = {e.name: e for e in corpus(assignment)}
    chosen = [entries[n] for n in DEMO_MISTAKES if n in entries] or list(entries.values())[:3]
    for entry in chosen[:3]:
        # The demo's students hand in code, not the corpus's notes on what it should lose.
        students[f"mistake-{entry.name}"] = with_answer(reference, entry.function, entry.answer)
    for student, nb in students.items():
        write_submission(nb, submitted, student, assignment, notebook)
    return list(students)


def main(assignments: list[str]) -> int:
    submitted = REPO_ROOT / course.SUBMITTED
    # nbgrader exports a row for every student and assignment; show only the demo's submissions.
    built: set[tuple[str, str]] = set()
    for assignment in assignments:
        for notebook in course.notebooks(assignment):
            for student in course.students_in(submitted, assignment):
                shutil.rmtree(course.student_dir(submitted, student, assignment))
            students = write_demo_class(assignment, notebook, submitted)
            built.update((assignment, student) for student in students)
            print(f"Demo class for {assignment}: {', '.join(students)}")
        _nbgrader("autograde", assignment, "--force")
        _nbgrader("generate_feedback", assignment, "--force")
    _nbgrader("export", "--to", "grades.csv")
    rows = [r for r in csv.DictReader((REPO_ROOT / "grades.csv").open())
            if (r["assignment"], r["student_id"]) in built]
    width = max(len(r["student_id"]) for r in rows)
    print(f"\n{'student':<{width}}  {'assignment':<16} {'score':>6} {'max':>6}")
    for r in sorted(rows, key=lambda r: (r["assignment"], r["student_id"])):
        print(f"{r['student_id']:<{width}}  {r['assignment']:<16} {float(r['score']):>6.2f} "
              f"{float(r['max_score']):>6.2f}")
    print("\nFeedback reports (one HTML file per student and notebook):")
    for path in sorted((REPO_ROOT / course.FEEDBACK).glob("*/*/*.html")):
        print(f"  {path.relative_to(REPO_ROOT)}")
    print(f"Grades exported to {REPO_ROOT / 'grades.csv'}")
    lost = [loss for assignment in assignments for loss in reference_losses(REPO_ROOT / course.AUTOGRADED, assignment)]
    if lost:
        # A correct submission that loses a point is a grader bug: the demo must not look green.
        print("\nThe reference student lost automatic points (a correct submission must never):", file=sys.stderr)
        for loss in lost:
            print(f"  {loss}", file=sys.stderr)
        return 1
    print("The reference student has every automatic point on every assignment.")
    return 0


def reference_losses(autograded: Path, assignment: str) -> list[str]:
    """'assignment check: score / max: message' for each check the student `reference` lost, read from
    the result data its autograded notebooks carry (under `autograded/reference/<assignment>/`)."""
    notebooks = course.notebooks_in(course.student_dir(autograded, "reference", assignment))
    if not notebooks:
        return [f"{assignment}: the reference was not autograded"]
    lost = []
    for path in notebooks:
        for check in read_feedback(nbformat.read(path, as_version=4)):
            if check.score < check.max_score - 1e-9:
                lost.append(f"{assignment} {check.check_id}: {check.score:g} / {check.max_score:g}: {check.message[:300]}")
    return lost
