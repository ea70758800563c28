"""`python -m convlab_hub start|stop|prepare|remove`: what `make hub` and `make hub-stop` run (as root).

    start    prepare, print the URL and the accounts, run JupyterHub in the foreground (Ctrl-C stops it
             with every server and the formgrader service)
    stop     stop the hub started by `start` (from another terminal)
    prepare  only create the accounts and folders (idempotent)
    remove   stop, delete the accounts and the hub's root folder
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from convlab_hub import accounts
from convlab_hub.layout import COURSE_FILES, COURSE_ID, Hub

REPO = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = Path("/srv/convlab-hub")
EXCHANGE_MODES = {
    COURSE_ID: 0o755,
    f"{COURSE_ID}/outbound": 0o755,  # released assignments: everyone reads
    f"{COURSE_ID}/inbound": 0o3733,  # submissions: write-only, set-group-id (the grader's group), sticky
    f"{COURSE_ID}/feedback": 0o711,  # feedback pages: reachable by name, readable per file (exchange.py)
}


def _own_tree(top: Path, uid: int, gid: int) -> None:
    for folder, dirs, files in os.walk(top):
        for name in (*dirs, *files):
            os.lchown(os.path.join(folder, name), uid, gid)
    os.chown(top, uid, gid)


def prepare(hub: Hub) -> dict[str, str]:
    """Folders with their modes (see layout.py), the accounts, and the course copied in."""
    if os.geteuid() != 0:
        raise SystemExit("the hub creates Unix accounts and runs servers as them: run it as root")
    hub.root.mkdir(parents=True, exist_ok=True)
    hub.root.chmod(0o755)
    hub.state.mkdir(exist_ok=True)
    hub.state.chmod(0o700)
    passwords = accounts.ensure_accounts(hub)
    entry = accounts.pwd.getpwnam(hub.grader)
    # The course: this repository's course files; the grader's work (gradebook, release/, submitted/…) is kept.
    hub.course.mkdir(exist_ok=True)
    for name in COURSE_FILES:
        src, dest = hub.repo / name, hub.course / name
        if src.is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(src, dest, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dest)
    _own_tree(hub.course, entry.pw_uid, entry.pw_gid)
    hub.course.chmod(0o700)
    # The exchange root is world-writable and sticky (nbgrader wants 0777; the sticky bit keeps anyone from
    # renaming the course's folder); the course's folder is the grader's from the start, so no student can
    # create it first.
    hub.exchange.mkdir(exist_ok=True)
    hub.exchange.chmod(0o1777)
    # nbgrader's modes, plus the sticky bit on inbound/: a student may add a submission but not rename or
    # remove another's (nbgrader's 2733 lets anyone rename any entry, e.g. hide a classmate's submission).
    for folder, mode in EXCHANGE_MODES.items():
        path = hub.exchange / folder
        path.mkdir(exist_ok=True)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        path.chmod(mode)
    hub.save()
    return passwords


def hub_environment(hub: Hub) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER"))}
    env.update(CONVLAB_HUB_SETTINGS=str(hub.settings_file), PYTHONPATH=str(hub.repo / "hub"),
               PATH=f"{hub.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}")
    return env


def hub_argv(hub: Hub) -> list[str]:
    return [hub.python, "-m", "jupyterhub", "-f", str(hub.repo / "hub" / "jupyterhub_config.py")]


def banner(hub: Hub, passwords: dict[str, str]) -> str:
    width = max(map(len, passwords))
    lines = [f"ConvLab on JupyterHub: {hub.url}/", "", "accounts (PAM; passwords kept in "
             f"{hub.state / 'passwords.json'}):"]
    roles = {hub.instructor: "instructor (formgrader)", hub.ta: "TA (formgrader)"}
    for user, password in passwords.items():
        lines.append(f"  {user:<{width}}  {password}  {roles.get(user, 'student')}")
    lines += ["", f"formgrader: {hub.url}/services/{COURSE_ID}/formgrader (instructor and TA)",
              "stop: Ctrl-C here, or `make hub-stop`"]
    return "\n".join(lines)


def _terminate(pid_file: Path, timeout: float) -> bool:
    """SIGTERM the process named in `pid_file`, SIGKILL it after `timeout` s; True when it was running."""
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().strip() or 0)
    pid_file.unlink()
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return True


def stop(hub: Hub, timeout: float = 30.0) -> bool:
    """Stop the hub (it stops the servers, the service and the proxy); True when it was running.
    A proxy left by a hub that died is stopped too."""
    running = _terminate(hub.state / "jupyterhub.pid", timeout)
    return _terminate(hub.state / "jupyterhub-proxy.pid", 5.0) or running


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m convlab_hub", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("start", "stop", "prepare", "remove"))
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the hub's folder (default %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default %(default)s)")
    args = parser.parse_args(argv)
    settings = args.root / "state" / "settings.json"
    hub = Hub.load(settings) if args.command in ("stop", "remove") and settings.exists() else \
        Hub(root=args.root.resolve(), repo=REPO, port=args.port)
    if args.command == "stop":
        print("stopped" if stop(hub) else "no hub running")
        return 0
    if args.command == "remove":
        stop(hub)
        accounts.remove_accounts(hub)
        shutil.rmtree(hub.root, ignore_errors=True)
        return 0
    passwords = prepare(hub)
    if args.command == "prepare":
        return 0
    print(banner(hub, passwords), flush=True)
    os.execvpe(hub_argv(hub)[0], hub_argv(hub), hub_environment(hub))
    return 0


if __name__ == "__main__":
    sys.exit(main())
