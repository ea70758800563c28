"""The command that runs one account's Jupyter server inside a bubblewrap mount namespace.

The hub runs as root; each server is started by root in a new mount and PID namespace built as an
allowlist (as `convlab/runtime/sandbox.py` does for grading kernels), then drops to the account with
`setpriv` (its uid, its groups, no capabilities, `no_new_privs`). What a server sees:

- `/usr` (and the `/bin`, `/lib`… links) and `/etc`, read-only; a private `/tmp`; its own `/proc`;
- the Python interpreter and the project's virtual environment, read-only;
- students: `hub/` of the checkout, read-only (the locked exchange and the Jupyter settings);
  staff (the formgrader service): the whole checkout, read-only (the grading engine);
- the hub's root folder, where the Unix permissions decide: its own home, the exchange, and
  nothing of the course, the other homes or the hub's state.

So the checkout's `solutions/`, `graders/` and `tests/` do not exist for a student's server, and
the course root and other homes are closed by their modes. It is the local counterpart of a pod
in Zero to JupyterHub, which sees only its image, its home volume and the exchange volume.
The network is the host's: a server must reach the hub's API.
"""

from __future__ import annotations

import pwd
from pathlib import Path

from convlab.runtime.sandbox import usr_links
from convlab_hub.layout import Hub

TMP_BYTES = 512 << 20


def _system(staff: bool) -> list[str]:
    return [
        "--ro-bind", "/usr", "/usr", *usr_links(),
        "--ro-bind", "/etc", "/etc",
        # The grading sandbox, started inside the formgrader service's jail, mounts a /proc of its own: the
        # kernel allows that only where a whole /proc is visible, which bwrap's /proc (with its read-only
        # covers over /proc/sys…) is not. So the service keeps the host's /proc and PID namespace.
        *(["--bind", "/proc", "/proc"] if staff else ["--proc", "/proc"]),
        "--dev", "/dev",
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
    ]


def _bind(option: str, path: Path) -> list[str]:
    """`path` at the same place; bwrap would make its missing parents 0700, closed to the user."""
    parents = [p for p in reversed(path.parents) if str(p) not in ("/", "/tmp")]
    return [arg for p in parents for arg in ("--perms", "0755", "--dir", str(p))] + [option, str(path), str(path)]


def jail_argv(hub: Hub, user: str, cwd: Path, *, staff: bool = False) -> list[str]:
    """bwrap + setpriv around a command run as `user` (append the command after the result)."""
    entry = pwd.getpwnam(user)
    args = ["bwrap", "--die-with-parent", *([] if staff else ["--unshare-pid"]), "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try"]
    args += _system(staff)
    if not hub.python_base.startswith("/usr/"):
        args += _bind("--ro-bind", Path(hub.python_base))
    if staff:
        args += _bind("--ro-bind", hub.repo)
    else:
        args += _bind("--ro-bind", hub.venv) + _bind("--ro-bind", hub.repo / "hub")
    args += _bind("--bind", hub.root) + ["--chdir", str(cwd)]
    args += ["--", "setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups",
             "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]
    return args


def server_command(hub: Hub) -> list[str]:
    return [hub.python, "-m", "jupyterhub.singleuser"]
