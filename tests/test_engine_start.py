"""The engine's start: collecting overlaps the kernel's boot, and a kernel that never comes up
gives a clear zero instead of an exception."""

from __future__ import annotations

import time

import nbformat
import pytest
from support.grading import NOTEBOOKS, reference_of

from convlab import engine
from convlab.runner.pytest_plugin import _Deferred, _Recorder
from convlab.runtime.kernel import StudentKernel
from convlab.runtime.student import Student
from convlab.settings import REPO_ROOT, SandboxSettings


def test_ahead_recorder_gathers_calls_and_stops_at_anything_else():
    recorder = _Recorder(Student(kernel=None, cells=[]), ahead=True)  # type: ignore[arg-type]
    with pytest.raises(_Deferred):
        recorder.call("conv1d", [1.0, 2.0], [1.0], mode="full")
    with pytest.raises(_Deferred):
        recorder.get("model")
    # The notebook has not run yet: its source, cells and skipped cells are not known.
    with pytest.raises(_Deferred):
        recorder.source  # noqa: B018
    assert [(p.name, p.get) for p in recorder.pending] == [("conv1d", False), ("model", True)]
    assert recorder.pending[0].kwargs == {"mode": "full"}


@pytest.mark.slow
def test_a_kernel_that_cannot_start_scores_zero_with_a_reason(tmp_path):
    assignment = "02_conv1d"
    path = tmp_path / "s" / assignment / f"{NOTEBOOKS[assignment]}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(reference_of(assignment), path)
    # 30 MB of data segment is too little for Python to import IPython.
    settings = SandboxSettings(memory_bytes=30 * 1024**2, startup_timeout=20)
    started = time.monotonic()
    result = engine.grade(path, assignment, NOTEBOOKS[assignment], course_root=REPO_ROOT, settings=settings)
    assert time.monotonic() - started < 20, "a kernel that exits must be noticed without waiting"
    assert result.score == 0 and result.max_score > 0
    assert "could not be run" in result.broken
    assert all(c.message == result.broken for i in result.items for c in i.checks)


@pytest.mark.slow
def test_launch_then_wait_ready_runs_code_and_records_peak_memory():
    kernel = StudentKernel()
    try:
        kernel.launch()
        assert kernel.alive()
        kernel.wait_ready()
        assert kernel.execute("1 + 1", timeout=10).ok
    finally:
        kernel.shutdown()
    assert kernel.peak_rss_bytes > 10 * 1024**2, "the kernel's peak memory is read before it is killed"
