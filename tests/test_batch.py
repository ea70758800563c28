"""`python -m convlab batch`: same files and gradebook rows as serial `nbgrader autograde`, in parallel,
resumable, interruptible, and a killed or hanging worker never costs more than its own student."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from support.classes import BIN, ENV, assert_sessions_exclusive, auto_scores, make_course
from support.grading import ASSIGNMENT, NOTEBOOK

from convlab import batch
from convlab.dev.corpus import corpus, reference_submission, release_notebook, with_answer, write_submission

MISTAKES = ("conv1d_no_flip", "moving_average_sum")






def class_of_submissions() -> dict[str, nbformat.NotebookNode | str]:
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    subs: dict[str, nbformat.NotebookNode | str] = {
        "reference": reference, "untouched": release_notebook(ASSIGNMENT, NOTEBOOK),
        "broken_json": '{"cells": [ {"cell_type": "code", "source": "tru',
    }
    entries = {e.name: e for e in corpus(ASSIGNMENT)}
    for name in MISTAKES:
        subs[f"mistake_{name}"] = with_answer(reference, entries[name].function, entries[name].code)
    return subs




def autograded_cells(course: Path, student: str) -> list[tuple[str, str, list]]:
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return [(c.cell_type, c.source, [o.get("data", {}).get("text/plain") for o in c.get("outputs", [])])
            for c in nb.cells]


# ---------------------------------------------------------------- fast unit tests


def test_needs_grading_new_graded_resubmitted_forced(tmp_path):
    sub = tmp_path / "submitted" / "ann" / ASSIGNMENT
    sub.mkdir(parents=True)
    (sub / "conv1d.ipynb").write_text("{}")
    assert batch.needs_grading(tmp_path, ASSIGNMENT, "ann", set(), False) == "new"
    dest = tmp_path / "autograded" / "ann" / ASSIGNMENT
    dest.mkdir(parents=True)
    (dest / "conv1d.ipynb").write_text("{}")
    assert batch.needs_grading(tmp_path, ASSIGNMENT, "ann", set(), False) == "not in this gradebook"
    assert batch.needs_grading(tmp_path, ASSIGNMENT, "ann", {"ann"}, False) == ""
    assert batch.needs_grading(tmp_path, ASSIGNMENT, "ann", {"ann"}, True) == "forced"
    later = time.time() + 5
    os.utime(sub / "conv1d.ipynb", (later, later))
    assert batch.needs_grading(tmp_path, ASSIGNMENT, "ann", {"ann"}, False).startswith("resubmitted")


def test_commit_replaces_the_folder_whole(tmp_path):
    old = tmp_path / "autograded" / "ann" / ASSIGNMENT
    old.mkdir(parents=True)
    (old / "stale.txt").write_text("old")
    outcome = batch.TaskResult("ann", ASSIGNMENT, True, {"conv1d.ipynb": (b"{}", 0o444), "data/x.csv": (b"1", 0o444)})
    batch.commit(tmp_path, outcome)
    files = sorted(str(p.relative_to(old)) for p in old.rglob("*") if p.is_file())
    assert files == ["conv1d.ipynb", "data/x.csv"]
    assert oct((old / "conv1d.ipynb").stat().st_mode & 0o777) == oct(0o444)
    assert not any((tmp_path / "autograded" / batch.STAGING).glob("*"))


def test_progress_line_has_eta_and_failures():
    import io

    p = batch.Progress(4, io.StringIO())
    p.update(batch.StudentLine("a", "graded", 1.0))
    p.update(batch.StudentLine("b", "failed", 1.0, "boom"))
    text = p.stream.getvalue()
    assert "2/4 graded, 1 failed" in text and "ETA" in text




@pytest.mark.slow  # a second interpreter importing nbgrader
def test_gradebook_sessions_are_exclusive_across_processes(tmp_path):
    """While a worker holds a Gradebook open, another process cannot open one."""
    assert_sessions_exclusive(f"sqlite:///{tmp_path / 'gb.db'}")


# ---------------------------------------------------------------- the class, serial vs batch


@pytest.fixture(scope="module")
def graded_twice(tmp_path_factory):
    subs = class_of_submissions()
    serial = make_course(tmp_path_factory.mktemp("serial"), subs)
    parallel = make_course(tmp_path_factory.mktemp("parallel"), subs)
    t0 = time.perf_counter()
    done = subprocess.run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--log-level=ERROR"],
                          cwd=serial, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    serial_s = time.perf_counter() - t0
    result = batch.run_batch(parallel, ASSIGNMENT, workers=2)
    return serial, parallel, subs, result, serial_s


@pytest.mark.slow
def test_batch_scores_equal_serial_nbgrader(graded_twice):
    serial, parallel, subs, result, _ = graded_twice
    assert {ln.student for ln in result.lines if ln.status == "graded"} == set(subs)
    want, got = auto_scores(serial), auto_scores(parallel)
    assert got == want
    assert got[("reference", "test_conv1d")] > 0 and got[("untouched", "test_conv1d")] == 0


@pytest.mark.slow
def test_batch_writes_the_same_autograded_notebooks(graded_twice):
    serial, parallel, subs, _, _ = graded_twice
    for student in subs:
        s_dir = serial / "autograded" / student / ASSIGNMENT
        p_dir = parallel / "autograded" / student / ASSIGNMENT
        assert sorted(p.name for p in p_dir.iterdir()) == sorted(p.name for p in s_dir.iterdir()), student
        assert autograded_cells(parallel, student) == autograded_cells(serial, student), student
    assert not (parallel / "autograded" / batch.STAGING).exists()


@pytest.mark.slow
def test_feedback_and_export_work_unchanged_on_batch_output(graded_twice):
    _, parallel, subs, _, _ = graded_twice
    for args in (["generate_feedback", ASSIGNMENT], ["export", "--to", "export.csv"]):
        done = subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=ERROR"], cwd=parallel, env=ENV,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
    for student in subs:
        assert (parallel / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html").exists(), student
    rows = (parallel / "export.csv").read_text().splitlines()
    assert {r.split(",")[3] for r in rows[1:]} == set(subs)


@pytest.mark.slow
def test_second_run_skips_graded_and_regrades_a_resubmission(graded_twice):
    _, parallel, subs, _, _ = graded_twice
    before = auto_scores(parallel)
    # A student resubmits: the file is newer than their autograded notebook.
    path = parallel / "submitted" / "untouched" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    write_submission(reference_submission(ASSIGNMENT, NOTEBOOK), parallel / "submitted", "untouched",
                     ASSIGNMENT, NOTEBOOK)
    later = time.time() + 2
    os.utime(path, (later, later))
    result = batch.run_batch(parallel, ASSIGNMENT, workers=2)
    status = {ln.student: ln.status for ln in result.lines}
    assert status.pop("untouched") == "graded"
    assert set(status.values()) == {"skipped"}
    after = auto_scores(parallel)
    assert after[("untouched", "test_conv1d")] == before[("reference", "test_conv1d")]
    assert {k: v for k, v in after.items() if k[0] != "untouched"} == \
           {k: v for k, v in before.items() if k[0] != "untouched"}


# ---------------------------------------------------------------- faults: killed worker, timeout, Ctrl-C


def _batch_cmd(course: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "convlab", "--course-root", str(course), "batch", ASSIGNMENT, "--no-report", *args]


def _kernel_running_under(pid: int) -> psutil.Process | None:
    """The worker process (child of the batch) once its student kernel has started."""
    try:
        children = psutil.Process(pid).children()
    except psutil.Error:
        return None
    for child in children:
        try:
            descendants = child.children(recursive=True)
        except psutil.Error:
            continue
        for process in descendants:
            try:
                # One zombie or vanished process must not hide the live kernel beside it.
                # The kernel itself, not the sandbox's start-up probe (`python -c "import ipykernel"`).
                if "ipykernel_launcher" in " ".join(process.cmdline()):
                    return child
            except psutil.Error:
                continue
    return None


@pytest.mark.slow
def test_killed_worker_is_retried_once_and_the_batch_completes(tmp_path):
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    reference.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(4)"))  # a kernel to catch alive
    course = make_course(tmp_path, {"ann": reference, "ben": release_notebook(ASSIGNMENT, NOTEBOOK)})
    proc = subprocess.Popen(_batch_cmd(course, "--workers", "1"), env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    worker = None
    while worker is None and time.monotonic() < deadline and proc.poll() is None:
        worker = _kernel_running_under(proc.pid)
        time.sleep(0.1)
    assert worker is not None, "no worker with a kernel appeared"
    time.sleep(1.5)  # the batch notes each worker's processes about once a second
    seen: set[psutil.Process] = set(worker.children(recursive=True))  # its kernel, orphaned by the kill
    assert seen
    worker.kill()  # as the OOM killer would
    while proc.poll() is None and time.monotonic() < deadline + 120:
        with contextlib.suppress(psutil.Error):
            seen.update(psutil.Process(proc.pid).children(recursive=True))
        time.sleep(0.2)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err[-3000:]
    assert "retrying on a fresh worker" in err
    scores = auto_scores(course)
    assert scores[("ann", "test_conv1d")] > 0 and scores[("ben", "test_conv1d")] == 0
    alive = []
    for p in seen:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
    assert not alive, f"left running after the batch: {alive}"
    assert not list(Path(tempfile.gettempdir()).glob(f"convlab-batch-{worker.pid}-*")), "scratch folder left"


@pytest.mark.slow
def test_a_submission_over_the_time_limit_is_killed_and_reported(tmp_path):
    # Each cell stays under the engine's cell limit (8 s here); together they pass the batch's limit.
    slow = release_notebook(ASSIGNMENT, NOTEBOOK)
    slow.cells += [nbformat.v4.new_code_cell("import time\ntime.sleep(6)") for _ in range(5)]
    course = make_course(tmp_path, {"slowpoke": slow, "ann": reference_submission(ASSIGNMENT, NOTEBOOK)})
    done = subprocess.run(_batch_cmd(course, "--workers", "2", "--timeout", "20"), env=ENV,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 3, done.stdout + done.stderr[-3000:]
    assert "FAILED slowpoke (scored 0): timed out" in done.stdout
    assert not (course / "autograded" / "slowpoke").exists()
    assert auto_scores(course)[("ann", "test_conv1d")] > 0
    failures = json.loads((course / "reports" / ASSIGNMENT / "failures.json").read_text())
    assert "slowpoke" in failures


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_next_run_continues(tmp_path):
    reference = reference_submission(ASSIGNMENT, NOTEBOOK)
    # s1 sleeps in a cell, so the interrupt surely lands while it is being graded (a reference alone
    # grades in about a second, faster than the test can react).
    sleepy = nbformat.from_dict(reference)
    sleepy.cells = [*reference.cells, nbformat.v4.new_code_cell("import time\ntime.sleep(30)")]
    course = make_course(tmp_path, {"s0": reference, "s1": sleepy, "s2": reference})
    # As from a terminal: a test run started in the background (`cmd &`) inherits SIGINT ignored,
    # and Python then never raises KeyboardInterrupt.
    proc = subprocess.Popen(_batch_cmd(course, "--workers", "1"), env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (course / "autograded" / "s0").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    # Interrupt in the middle of the second submission, which sleeps for the whole cell limit (8 s).
    second = time.monotonic() + 3
    while _kernel_running_under(proc.pid) is None and time.monotonic() < min(deadline, second):
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err[-3000:]
    assert "Interrupted" in out
    graded = sorted(p.name for p in (course / "autograded").iterdir())
    assert "s0" in graded and batch.STAGING not in graded and len(graded) < 3
    for student in graded:  # every folder there is complete
        assert (course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()
    again = subprocess.run(_batch_cmd(course, "--workers", "2"), env=ENV, capture_output=True, text=True,
                           timeout=240)
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert f"{len(graded)} skipped" in again.stdout
    assert len({v for k, v in auto_scores(course).items() if k[1] == "test_conv1d"}) == 1
