"""The command line that starts a student kernel inside its sandbox.

Layers, outermost first:
1. `prlimit`: memory (RLIMIT_DATA, which counts numpy's anonymous mappings but not the address
   space TensorFlow reserves at import), a CPU backstop, no core dumps, a process cap.
2. Only as root: `unshare` gives the kernel a private mount and PID namespace. Inside it, a tmpfs
   (or /dev/null for files) is mounted over every hidden path of the course, then `setpriv` drops to
   an unprivileged user so the kernel cannot undo those mounts. When the kernel's namespace dies,
   every process it forked dies with it.
3. Always: a scrubbed environment, the working directory set to a private scratch folder.
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from graders.settings import SandboxSettings, hidden_paths

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class KernelLaunch:
    """Everything `subprocess.Popen` needs to start one sandboxed kernel."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    isolated: bool


def is_root() -> bool:
    return os.geteuid() == 0


@functools.cache
def isolation_problem(python: str, user: str, group: str) -> str | None:
    """Why namespace isolation cannot be used here, or None when it can."""
    if not is_root():
        return "the engine is not running as root"
    for tool in ("unshare", "setpriv", "mount"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed"
    probe = [
        "unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
        "setpriv", f"--reuid={user}", f"--regid={group}", "--clear-groups",
        python, "-c", "import ipykernel, numpy",
    ]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the isolation probe failed: {exc}"
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        return f"user {user!r} cannot run {python} in a private namespace ({' '.join(tail)})"
    return None


def _warn_once(reason: str) -> None:
    if reason not in _warned:
        _warned.add(reason)
        log.warning(
            "Student kernels run WITHOUT namespace isolation because %s: a submission could read "
            "graders/ and solutions/ by absolute path. Run the grader as root for the full sandbox.",
            reason,
        )


_warned: set[str] = set()


def scrubbed_env(settings: SandboxSettings, scratch: Path, python: str) -> dict[str, str]:
    """A minimal environment: nothing of the grading process leaks into the kernel."""
    env = {k: os.environ[k] for k in settings.passthrough_env if k in os.environ}
    bin_dir = str(Path(python).parent)
    env.update(
        {
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(scratch),
            "TMPDIR": str(scratch / "tmp"),
            "IPYTHONDIR": str(scratch / ".ipython"),
            "MPLCONFIGDIR": str(scratch / ".matplotlib"),
            "JUPYTER_RUNTIME_DIR": str(scratch / ".runtime"),
            "JUPYTER_DATA_DIR": str(scratch / ".jupyter"),
            "KERAS_HOME": str(scratch / ".keras"),
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NBGRADER_EXECUTION": "autograde",
        }
    )
    env.update(settings.extra_env)
    return env


def kernel_launch(
    connection_file: Path,
    scratch: Path,
    settings: SandboxSettings,
    course_root: Path,
    python: str,
) -> KernelLaunch:
    """Build the command that starts `ipykernel` for one submission.

    scratch: the submission's private working folder; it must hold `connection_file`.
    """
    kernel = [python, "-m", "ipykernel_launcher", "-f", str(connection_file)]
    limits = [
        "prlimit",
        f"--data={settings.memory_bytes}",
        f"--cpu={settings.kernel_cpu_seconds}",
        "--core=0",
        # Files live on a RAM disk (see kernel._default_scratch): no file may grow past 1 GiB.
        f"--fsize={settings.max_file_bytes}",
        "--",
    ]
    env = scrubbed_env(settings, scratch, python)
    problem = isolation_problem(python, settings.sandbox_user, settings.sandbox_group)
    if problem is not None:
        _warn_once(problem)
        return KernelLaunch(limits + kernel, env, str(scratch), isolated=False)

    mounts = []
    for path in hidden_paths(course_root):
        if path.is_dir():
            mounts.append(f"mount -t tmpfs -o size=16k,mode=000 convlab-hidden {shlex.quote(str(path))}")
        elif path.exists():
            mounts.append(f"mount --bind /dev/null {shlex.quote(str(path))}")
    # The scratch parent is listable by root only, so a kernel cannot find its neighbours' folders.
    script = "set -e\n" + "\n".join(mounts) + '\nexec "$@"\n'
    # RLIMIT_NPROC counts the processes of the kernel's (unprivileged) user; root ignores it.
    argv = limits[:-1] + [f"--nproc={settings.max_processes}", "--"] + [
        "unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
        "--mount-proc",
        "sh", "-c", script, "convlab-sandbox",
        "setpriv", f"--reuid={settings.sandbox_user}", f"--regid={settings.sandbox_group}",
        "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all",
    ] + kernel
    return KernelLaunch(argv, env, str(scratch), isolated=True)
