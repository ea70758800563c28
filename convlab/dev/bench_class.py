"""`make bench-class`: a synthetic class graded three ways, timed, and the scores compared.

For every assignment in release/ (with graders), N students each submit every notebook: 40% the
reference answers, 10% the untouched release notebook, 50% one typical mistake from the corpus.
The class is graded by plain serial `nbgrader autograde`, by `convlab batch --workers 1` and by
`convlab batch --workers 2`, each in its own throw-away copy of the course, and every gradebook
row (student, notebook, cell, auto score) must be identical across the three.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from convlab import course
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission
from convlab.runtime.kernel import CPU_LOG_ENV
from convlab.settings import REPO_ROOT

GOAL = 1.8  # batch --workers 2 vs serial nbgrader, on 2 cores
# Per 10 students: 4 reference answers (R), 1 blank release notebook (B), 5 typical mistakes (M);
# interleaved so that a small class is mixed too.
PATTERN = "RMBMRMRMRM"


def assignments_in_release(root: Path = REPO_ROOT) -> list[str]:
    return [a.id for a in course.assignments(root)
            if course.notebooks_in(a.release_dir) and a.graders_dir.is_dir()]


def write_synthetic_class(course_root: Path, assignments: list[str], students: dict[str, int]) -> dict[str, list[str]]:
    """Write the synthetic class into course_root/submitted; return assignment -> notebooks.

    students: how many students submit each assignment.
    """
    layout = {}
    for a in assignments:
        notebooks = [p.stem for p in course.notebooks_in(course.release_dir(a))]
        layout[a] = notebooks
        mistakes = corpus(a)
        for nb in notebooks:
            reference, release = reference_submission(a, nb), release_notebook(a, nb)
            # Only mistakes whose function is an answer cell of this notebook.
            ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in reference.cells}
            fitting = [m for m in mistakes if m.function in ids]
            for i in range(students[a]):
                kind = PATTERN[i % len(PATTERN)]
                if kind == "R" or (kind == "M" and not fitting):
                    sub = reference
                elif kind == "B":
                    sub = release
                else:
                    m = fitting[(i * 7) % len(fitting)]
                    sub = with_answer(reference, m.function, m.code)
                write_submission(sub, course_root / course.SUBMITTED, f"student{i:03d}", a, nb)
    return layout


def _copy_course(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in course.DEFINITION:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)
    return dest


def _env() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '')}", PYTHONWARNINGS="ignore",
                PYTHONPATH=str(REPO_ROOT), TF_CPP_MIN_LOG_LEVEL="2")


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run one grading command: (wall seconds, CPU seconds its student kernels used)."""
    cpu_log = cwd / f"kernel-cpu-{time.monotonic_ns()}.log"
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env={**_env(), CPU_LOG_ENV: str(cpu_log)}, capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 3):  # 3: the batch finished with failed submissions (reported below)
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({done.returncode}):\n{done.stderr[-3000:]}")
    kernel_cpu = sum(float(x) for x in cpu_log.read_text().split()) if cpu_log.exists() else 0.0
    return seconds, kernel_cpu


def scores(course: Path, assignments: list[str]) -> dict[tuple[str, ...], float | None]:
    from nbgrader.api import Gradebook

    out: dict[tuple[str, ...], float | None] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "convlab") as gb:
        for a in assignments:
            for sub in gb.find_assignment(a).submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(a, sub.student.id, nb.name, g.name)] = g.auto_score
    return out


SERIAL, ONE, TWO = "nbgrader autograde (serial)", "convlab batch --workers 1", "convlab batch --workers 2"


def _table(seconds: dict[str, dict[str, float]], notebooks: dict[str, int], students: dict[str, int]) -> list[str]:
    """Per assignment and in total: wall seconds of each mode, seconds per notebook, speed-ups."""
    lines = [f"{'assignment':<18}{'notebooks':>10}{'serial s':>10}{'w1 s':>8}{'w2 s':>8}"
             f"{'s/nb serial':>12}{'s/nb w2':>9}{'w1 vs serial':>13}{'w2 vs serial':>13}"]
    rows = [(a, students[a] * notebooks[a], seconds[SERIAL][a], seconds[ONE][a], seconds[TWO][a])
            for a in seconds[SERIAL]]
    total = ("all", sum(r[1] for r in rows), *(sum(r[i] for r in rows) for i in (2, 3, 4)))
    for a, n, serial, one, two in [*rows, total]:
        lines.append(f"{a:<18}{n:>10}{serial:>10.1f}{one:>8.1f}{two:>8.1f}{serial / n:>12.2f}"
                     f"{two / n:>9.2f}{serial / one:>12.2f}x{serial / two:>12.2f}x")
    return lines


def _prepare(tmp: Path, assignments: list[str], counts: dict[str, int], nbgrader: str,
             modes: dict[str, int | None]) -> tuple[dict[str, Path], dict[str, int]]:
    """One course copy per mode with the same synthetic class: (course per mode, notebooks per assignment)."""
    courses: dict[str, Path] = {}
    for label in modes:
        copy = _copy_course(tmp / f"course{len(courses)}")
        layout = write_synthetic_class(copy, assignments, counts)
        for a in assignments:
            _run([nbgrader, "generate_assignment", a, "--force", "--log-level=ERROR"], copy)
        courses[label] = copy
    return courses, {a: len(v) for a, v in layout.items()}


def _grade_all(assignments: list[str], modes: dict[str, int | None], courses: dict[str, Path],
               nbgrader: str) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]], list[float]]:
    """(wall seconds, kernel CPU-seconds) per mode and assignment, and the load averages seen.

    Assignment by assignment, the three modes one after the other: a change in machine load then
    hits the three alike instead of one mode's whole run."""
    seconds: dict[str, dict[str, float]] = {label: {} for label in modes}
    kernel_cpu: dict[str, dict[str, float]] = {label: {} for label in modes}
    loads: list[float] = []
    for a in assignments:
        for label, workers in modes.items():
            copy = courses[label]
            if workers is None:
                cmd = [nbgrader, "autograde", a, "--log-level=ERROR"]
            else:
                cmd = [sys.executable, "-m", "convlab", "--course-root", str(copy), "batch", a,
                       "--workers", str(workers), "--no-report"]
            load = os.getloadavg()[0]
            seconds[label][a], kernel_cpu[label][a] = _run(cmd, copy)
            loads += [load, os.getloadavg()[0]]
            print(f"  {a:<16} {label:<30} {seconds[label][a]:8.1f} s, kernels {kernel_cpu[label][a]:7.1f} CPU-s "
                  f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
    return seconds, kernel_cpu, loads


def _print_efficiency(seconds: dict[str, dict[str, float]], kernel_cpu: dict[str, dict[str, float]],
                      loads: list[float]) -> None:
    cores = os.cpu_count() or 1
    for label in seconds:
        wall, cpu = sum(seconds[label].values()), sum(kernel_cpu[label].values())
        # The kernels' CPU is the work no grader can avoid: efficiency 1 means the cores did
        # nothing else and never sat idle.
        print(f"CPU efficiency, {label}: kernels' {cpu:.0f} CPU-s / ({wall:.0f} s x {cores} cores) = "
              f"{cpu / (wall * cores):.2f}")
    base, two = sum(seconds[SERIAL].values()), sum(seconds[TWO].values())
    ratio = base / two
    print(f"goal: batch --workers 2 >= {GOAL}x faster than serial nbgrader: "
          f"{'met' if ratio >= GOAL else 'NOT met'} ({ratio:.2f}x wall over the whole class)")
    if max(loads) > 2.5:
        # Other processes competed for the 2 cores: wall-clock ratios then measure the sharing too.
        print(f"note: load average up to {max(loads):.1f} during the runs (2 workers alone make about 2)")


def _compare_scores(courses: dict[str, Path], assignments: list[str]) -> bool:
    """Print whether the three runs wrote the same gradebook scores; True when they did."""
    got = {label: scores(c, assignments) for label, c in courses.items()}
    reference = got[SERIAL]
    same = all(v == reference for v in got.values())
    graded = len({k[:3] for k in reference})
    print(f"scores: {'identical' if same else 'DIFFERENT'} across the three runs "
          f"({len(reference)} gradebook rows, {graded} notebooks)")
    for label, rows in got.items():
        differ = sorted(k for k in set(rows) | set(reference) if rows.get(k) != reference.get(k))
        for key in differ[:10]:
            print(f"  differs: {'/'.join(key)}: serial nbgrader {reference.get(key)}, {label} {rows.get(key)}")
    return same


def main(students: int = 40, only: list[str] | None = None, per_assignment: dict[str, int] | None = None) -> int:
    """per_assignment: a smaller class for some assignments (a TensorFlow training notebook takes
    about 45 s per submission; 40 of them, three ways, is two hours)."""
    assignments = only or assignments_in_release()
    if not assignments:
        print("no assignment in release/ (run make release)", file=sys.stderr)
        return 2
    unknown = sorted(set(per_assignment or {}) - set(assignments))
    if unknown:
        print(f"--students-for names assignments not in this run: {', '.join(unknown)}", file=sys.stderr)
        return 2
    counts = {a: (per_assignment or {}).get(a, students) for a in assignments}
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    tmp = Path(tempfile.mkdtemp(prefix="convlab-bench-class-"))
    modes = {SERIAL: None, ONE: 1, TWO: 2}
    try:
        courses, notebooks = _prepare(tmp, assignments, counts, nbgrader, modes)
        n_notebooks = sum(counts[a] * notebooks[a] for a in assignments)
        print(f"bench-class: {', '.join(f'{a} ({counts[a]} students x {notebooks[a]} nb)' for a in assignments)}"
              f" = {n_notebooks} notebooks, {os.cpu_count()} CPUs", flush=True)
        seconds, kernel_cpu, loads = _grade_all(assignments, modes, courses, nbgrader)
        for line in _table(seconds, notebooks, counts):
            print(line)
        _print_efficiency(seconds, kernel_cpu, loads)
        same = _compare_scores(courses, assignments)
        # 200 students each submitting every notebook, at each assignment's measured rate.
        per_student = {label: sum(seconds[label][a] / counts[a] for a in assignments) for label in modes}
        nb_per_student = sum(notebooks.values())
        print(f"extrapolation: 200 students x {nb_per_student} notebooks = {200 * nb_per_student} notebooks: "
              f"{200 * per_student[TWO] / 60:.0f} min with 2 workers on 2 cores "
              f"(serial nbgrader: {200 * per_student[SERIAL] / 60:.0f} min)")
        return 0 if same else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
