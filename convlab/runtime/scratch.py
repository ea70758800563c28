"""Where kernels live on the grading machine, and what can be read about them from outside.

Each kernel gets a private scratch folder under one parent (a RAM disk when there is one); the
sandbox shows the kernel only its own folder.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from pathlib import Path

from convlab.runtime.sandbox import require_sandbox
from convlab.settings import SandboxSettings, venv_python

log = logging.getLogger(__name__)


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


def size_limited(scratch: Path, settings: SandboxSettings) -> bool:
    """Make the new, empty folder `scratch` a tmpfs of `settings.scratch_bytes`; whether it could.

    Files a kernel writes count against nothing else: without this only each file's size is
    limited (RLIMIT_FSIZE), and a kernel writing many files could fill the machine's memory (the
    scratch parent is a RAM disk). Mounting needs root; otherwise the folder stays as it is."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={settings.scratch_bytes},mode=0700",
                           "convlab-kernel", str(scratch)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        _warn_once(f"kernel folders are not size-limited: mount failed ({done.stderr.strip()[:200]})")
        return False
    return True


def release(scratch: Path) -> None:
    """Remove a kernel's folder, and its tmpfs if it has one."""
    if os.path.ismount(scratch):
        # Lazy: a process of the dead kernel that still holds a file open cannot keep it mounted.
        subprocess.run(["umount", "--lazy", str(scratch)], capture_output=True, check=False)
    shutil.rmtree(scratch, ignore_errors=True)


@functools.cache
def _warn_once(message: str) -> None:
    log.warning(message)
