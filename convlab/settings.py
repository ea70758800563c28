"""Limits and paths the engine works with, in one place so nbgrader_config.py can set them."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

GiB = 1024**3


@dataclass(frozen=True)
class SandboxSettings:
    """Resource limits for one student kernel.

    CPU and wall-clock limits apply per graded item (one notebook cell or one call of a student
    function); the memory limit applies to the whole kernel. An item that computes is bounded by
    CPU seconds, which do not depend on how busy the machine is, so a submission gets the same
    score whether it is graded alone or beside others. The wall-clock timeouts stop items that
    wait without computing, and every item at 4 times its timeout (kernel.WALL_BACKSTOP).
    """

    memory_bytes: int = 4 * GiB
    max_file_bytes: int = 1 * GiB
    cell_timeout: float = 120.0
    call_timeout: float = 20.0
    # CPU seconds a cell may burn over all its threads: it may keep 2 cores busy for its whole
    # timeout (TensorFlow training does), while a runaway on more threads is still stopped.
    item_cpu_seconds: float = 240.0
    # CPU seconds a call of a student function may burn; 0 means 2 x call_timeout.
    call_cpu_seconds: float = 0.0
    # Backstop for the whole kernel life, enforced by the OS (RLIMIT_CPU).
    kernel_cpu_seconds: int = 3600
    startup_timeout: float = 60.0
    max_processes: int = 512
    # Size of the kernel's private /tmp and of its /dev/shm (each a tmpfs in RAM).
    tmp_bytes: int = 512 * 1024**2
    # Size of the kernel's own folder (the shipped files, the bridge's call files, whatever it writes
    # there): a tmpfs of its own when grading as root, so no submission can fill the machine's RAM.
    scratch_bytes: int = 1 * GiB
    # Grade without the sandbox when it cannot run (a student checking their own notebook on a
    # laptop). Never for a class: a submission could then read the course and reach the network.
    allow_unsandboxed: bool = False
    sandbox_user: str = "nobody"
    sandbox_group: str = "nogroup"
    # Environment variables copied into the kernel; everything else is scrubbed.
    passthrough_env: tuple[str, ...] = ("LANG", "LC_ALL", "TZ")
    extra_env: dict[str, str] = field(
        default_factory=lambda: {
            # TensorFlow's C++ logging goes to stderr; quieter output is easier for students to read.
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # TensorFlow 2.21's oneDNN kernels give wrong values for some strided convolutions on
            # batches of more than one image (errors of order 1, up to 1e36 through Keras); off,
            # results are right and training is repeatable, at some cost in speed.
            "TF_ENABLE_ONEDNN_OPTS": "0",
            # Figures come back as inline PNGs, as in JupyterLab, so TAs and students see them in
            # the autograded notebook and the feedback (runtime/outputs.py bounds them).
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYTHONHASHSEED": "0",
        }
    )

    def __post_init__(self) -> None:
        if not self.call_cpu_seconds:
            object.__setattr__(self, "call_cpu_seconds", 2 * self.call_timeout)


def venv_python() -> str:
    """The interpreter that runs student kernels: the grading process's own environment."""
    return os.environ.get("CONVLAB_KERNEL_PYTHON", sys.executable)
