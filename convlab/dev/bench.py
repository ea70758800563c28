"""`python -m convlab bench ASSIGNMENT --copies N`: what the engine costs over bare nbclient.

Each copy of the reference submission is graded by the engine and also executed by nbclient
alone (the submitted notebook with its visible tests, no sandbox, no hidden checks). The ratio
of the two times is the overhead the sandbox, the bridge and the hidden checks add.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from convlab import course, engine
from convlab.dev.corpus import reference_submission, write_submission
from convlab.runtime.scratch import peak_rss_of

# Engine seconds per notebook may exceed bare nbclient by at most this factor.
RATIO_GOAL = 1.0  # the sandbox must not make grading slower than bare nbclient (issue 12)
START_GOAL = 0.5  # median kernel start, seconds
MiB = 1024**2


@dataclass
class Run:
    seconds: float
    # Bytes: the kernel's Python process's own peak (VmHWM), read from /proc. Sampling the
    # process tree from a thread instead cost the grading process enough CPU to skew the times.
    peak_rss: int
    score: float = 0.0
    max_score: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # engine phases, see NotebookResult
    cells: list[tuple[int, str, float]] = field(default_factory=list)  # (index, first line, seconds)


@dataclass
class Series:
    """All counted runs of one kind (engine or nbclient)."""

    label: str
    runs: list[Run] = field(default_factory=list)

    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    def peak_rss_mib(self) -> float:
        return max(r.peak_rss for r in self.runs) / MiB


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the block only: the CLI process may do more afterwards."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def run_engine(path: Path, assignment: str, notebook: str) -> Run:
    start = time.perf_counter()
    result = engine.grade(path, assignment, notebook)
    seconds = time.perf_counter() - start
    cells = [(run.cell.index, _first_line(run.cell.source), run.result.seconds) for run in result.cell_runs]
    return Run(seconds, result.kernel_peak_rss, result.score, result.max_score, dict(result.timings),
               cells)


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    return (lines[0] if lines else "(empty)")[:60]


def run_nbclient(path: Path) -> Run:
    peak = [0]

    def after_cell(**_: object) -> None:
        # Read inside the kernel's life; the high-water mark only grows, so the last read is the peak.
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        if process is not None:
            peak[0] = max(peak[0], peak_rss_of(process.pid))

    start = time.perf_counter()
    # Reading is inside the timed part because engine.grade reads the file too.
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_executed=after_cell)
    client.execute()
    seconds = time.perf_counter() - start
    errors = sum(1 for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.get("outputs", []) if out.get("output_type") == "error")
    if errors:
        # The comparison is only fair when the reference runs cleanly under both.
        print(f"warning: {path} raised errors in {errors} cell(s) under nbclient", file=sys.stderr)
    return Run(seconds, peak[0])


def _timed(label: str, what: Callable[[], Run]) -> Run:
    run = what()
    # Progress goes to stderr so stdout holds only the table.
    print(f"  {label}: {run.seconds:.2f} s, peak RSS {run.peak_rss / MiB:.0f} MiB",
          file=sys.stderr, flush=True)
    return run


def _row(series: Series) -> str:
    secs = series.seconds()
    return (f"{series.label:<22}{statistics.mean(secs):>8.2f}{statistics.median(secs):>9.2f}"
            f"{min(secs):>8.2f}{series.peak_rss_mib():>14.0f} MiB")


def _cpus() -> int:
    # The CPUs this process may use, which a container or taskset can make fewer than the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


SLOW_CELL_SECONDS = 0.5


def _phases(eng: Series) -> list[str]:
    """Where an engine run spends its time: medians over the runs, and the slow notebook cells."""
    runs = [r for r in eng.runs if r.timings]
    if not runs:
        return []
    lines = ["engine phases (median s/notebook): " + ", ".join(
        f"{phase} {statistics.median(r.timings.get(phase, 0.0) for r in runs):.2f}"
        for phase in ("kernel start", "notebook", "checks"))]
    # Cells line up across runs of the same notebook; report each slow one once.
    by_cell: dict[tuple[int, str], list[float]] = {}
    for run in runs:
        for index, label, seconds in run.cells:
            by_cell.setdefault((index, label), []).append(seconds)
    for (index, label), secs in sorted(by_cell.items()):
        if statistics.median(secs) >= SLOW_CELL_SECONDS:
            lines.append(f"  notebook cell {index + 1:>2} `{label}`: {statistics.median(secs):.2f} s")
    return lines


def report(assignment: str, copies: int, notebooks: list[str], eng: Series, nbc: Series,
           scores: dict[str, list[tuple[float, float]]]) -> tuple[str, bool]:
    """The table for stdout, and whether every engine run scored full marks."""
    which = "" if len(notebooks) == 1 else f" (notebooks: {', '.join(notebooks)})"
    lines = [
        f"ConvLab engine benchmark: {assignment}, {copies} copies of the reference submission"
        f"{which}, {_cpus()} CPUs",
        f"{'':<22}{'mean':>8}{'median':>9}{'min':>8}{'peak RSS/kernel':>18}",
        _row(eng),
        _row(nbc),
    ]
    ratio_median = statistics.median(eng.seconds()) / statistics.median(nbc.seconds())
    ratio_mean = statistics.mean(eng.seconds()) / statistics.mean(nbc.seconds())
    verdict = "met" if ratio_median <= RATIO_GOAL else "NOT met"
    lines.append(f"ratio engine/nbclient (median): {ratio_median:.2f}  "
                 f"goal <= {RATIO_GOAL:.2f}: {verdict}")
    lines.append(f"ratio engine/nbclient (mean):   {ratio_mean:.2f}")
    lines.extend(_phases(eng))
    starts = [r.timings["kernel start"] for r in eng.runs if "kernel start" in r.timings]
    if starts:
        start = statistics.median(starts)
        lines.append(f"kernel start (median, sandboxed): {start:.2f} s  goal < {START_GOAL:.1f} s: "
                     f"{'met' if start < START_GOAL else 'NOT met'}")
    load = os.getloadavg()[0]
    if load > 2.5:
        lines.append(f"note: load average {load:.1f}: other processes shared the 2 cores, wall times are inflated")
    all_full = True
    for notebook, pairs in scores.items():
        prefix = "scores" if len(scores) == 1 else f"scores {notebook}"
        distinct = sorted(set(pairs))
        lines.append(f"{prefix}: " + ", ".join(
            f"{pairs.count(p)} x {p[0]:.1f} / {p[1]:.1f}" for p in distinct))
        short = [p for p in pairs if p[0] != p[1]]
        if short:
            all_full = False
            lines.append(f"SCORE PROBLEM: {len(short)} of {len(pairs)} engine runs of {notebook} "
                         "did not give the reference submission full marks")
    return "\n".join(lines), all_full


def main(assignment: str, copies: int) -> int:
    """Benchmark `copies` copies of the reference submission; 1 if the engine mis-scored one."""
    if copies < 1:
        print("--copies must be at least 1", file=sys.stderr)
        return 2
    notebooks = course.notebooks(assignment)
    if not notebooks:
        print(f"no notebooks in {course.source_dir(assignment)}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="convlab-bench-"))
    try:
        references = {nb: reference_submission(assignment, nb) for nb in notebooks}
        paths = {
            (student, nb): write_submission(references[nb], tmp, student, assignment, nb)
            for student in ["warmup", *(f"copy{i:03d}" for i in range(1, copies + 1))]
            for nb in notebooks
        }
        # What ships beside the notebook (data, helper modules), as a student's folder has it.
        shipped = course.beside_notebook(course.release_dir(assignment))
        for folder in {path.parent for path in paths.values()}:
            for extra in shipped:
                (shutil.copytree if extra.is_dir() else shutil.copy2)(extra, folder / extra.name)
        eng, nbc = Series("engine (s/notebook)"), Series("nbclient (s/notebook)")
        scores: dict[str, list[tuple[float, float]]] = {nb: [] for nb in notebooks}
        with _env("TF_CPP_MIN_LOG_LEVEL", "2"):
            # The first kernel of each kind pays for cold caches (imports, the isolation probe).
            warm = paths[("warmup", notebooks[0])]
            print("warm-up", file=sys.stderr, flush=True)
            _timed("engine", lambda: run_engine(warm, assignment, notebooks[0]))
            _timed("nbclient", lambda: run_nbclient(warm))
            # Alternating the two kinds spreads any change in machine load over both alike.
            for i in range(1, copies + 1):
                for nb in notebooks:
                    path = paths[(f"copy{i:03d}", nb)]
                    print(f"copy {i}/{copies} {nb}", file=sys.stderr, flush=True)
                    run = _timed("engine", lambda p=path, n=nb: run_engine(p, assignment, n))
                    eng.runs.append(run)
                    scores[nb].append((run.score, run.max_score))
                    nbc.runs.append(_timed("nbclient", lambda p=path: run_nbclient(p)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text, all_full = report(assignment, copies, notebooks, eng, nbc, scores)
    print(text)
    return 0 if all_full else 1
