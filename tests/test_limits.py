"""Per-item limits: computing is bounded by CPU seconds (the same on a busy machine), waiting by
the wall clock, and anything by the wall-clock backstop."""

from __future__ import annotations

import pytest

from convlab.runtime.kernel import WALL_BACKSTOP, StudentKernel
from convlab.settings import SandboxSettings

pytestmark = pytest.mark.slow


def run_cell(code: str, **limits: float):
    with StudentKernel(SandboxSettings(**limits)) as kernel:
        return kernel.execute(code, timeout=kernel.settings.cell_timeout)


def test_waiting_is_stopped_by_the_wall_clock():
    result = run_cell("import time\ntime.sleep(60)", cell_timeout=1.5)
    assert result.status == "timeout"
    assert "waiting without computing" in result.error
    assert result.seconds < 10


def test_computing_longer_than_the_timeout_is_not_cut_while_within_its_cpu_budget():
    # 2.5 CPU seconds take at least 2.5 wall seconds, past the 1 s timeout: as on a loaded machine.
    code = "import time\nt0 = time.process_time()\nwhile time.process_time() - t0 < 2.5:\n    pass\n"
    result = run_cell(code, cell_timeout=1.0, item_cpu_seconds=30.0)
    assert result.status == "ok", result.error


def test_a_busy_loop_is_stopped_by_its_cpu_budget():
    result = run_cell("while True:\n    pass", cell_timeout=60.0, item_cpu_seconds=1.5)
    assert result.status == "timeout"
    assert "CPU limit" in result.error
    assert result.seconds < 30


def test_the_wall_clock_backstop_stops_anything():
    result = run_cell("while True:\n    pass", cell_timeout=0.5, item_cpu_seconds=1000.0)
    assert result.status == "timeout"
    assert f"{WALL_BACKSTOP * 0.5:.0f} s wall-clock limit" in result.error


def test_calls_get_twice_their_timeout_in_cpu_seconds_by_default():
    assert SandboxSettings(call_timeout=3.0).call_cpu_seconds == 6.0
    assert SandboxSettings(call_timeout=3.0, call_cpu_seconds=1.0).call_cpu_seconds == 1.0
