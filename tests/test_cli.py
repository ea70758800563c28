"""The `convlab` command is installed by `make setup` and runs from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_convlab_command_runs_outside_the_course(tmp_path):
    command = Path(sys.executable).parent / "convlab"
    assert command.exists(), "run `make setup`: it installs the `convlab` command (pyproject.toml)"
    done = subprocess.run([str(command), "check", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--allow-unsandboxed" in done.stdout
