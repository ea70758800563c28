"""Where kernels live on the grading machine, and what can be read about them from outside.

Each kernel gets a private scratch folder under one parent (a RAM disk when there is one); the
sandbox shows the kernel only its own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from convlab.runtime.sandbox import require_sandbox
from convlab.settings import SandboxSettings, venv_python


def peak_rss_of(pid: int) -> int:
    """A process's peak resident memory in bytes (VmHWM; 0 when it cannot be read).

    The kernel's own high-water mark is exact and free, unlike sampling its RSS from outside.
    """
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _default_scratch() -> str:
    # Every call to a student function creates and removes a few files: on a RAM disk that costs
    # microseconds, on an ext4 disk mounted with `discard` several milliseconds per file.
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK):
        return "/dev/shm/convlab-scratch"
    return "/tmp/convlab-scratch"


def scratch_parent() -> Path:
    parent = Path(os.environ.get("CONVLAB_SCRATCH") or _default_scratch())
    parent.mkdir(parents=True, exist_ok=True)
    # Traversable but not listable: a kernel cannot discover its neighbours' random folder names.
    os.chmod(parent, 0o711)
    return parent


def sandbox_note(settings: SandboxSettings) -> str | None:
    """None when kernels will run sandboxed; the report's one-line note when the configuration
    allows grading without the sandbox; SandboxUnavailable otherwise."""
    return require_sandbox(settings, venv_python(), scratch_parent() / ".sandbox")
