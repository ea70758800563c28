"""One sandboxed IPython kernel per submission, driven from the grading process.

The grading process talks to the kernel only through the Jupyter protocol and through files in the
submission's scratch folder; it never unpickles anything the kernel produces.
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from convlab.runtime.outputs import FigureBudget, Outputs
from convlab.runtime.sandbox import kernel_launch, seed_font_cache
from convlab.runtime.scratch import peak_rss_of, release, sandbox_note, scratch_parent, size_limited
from convlab.settings import SandboxSettings, venv_python

log = logging.getLogger(__name__)

# Benchmarks set this to a file path: every kernel appends the CPU seconds it used when it ends.
CPU_LOG_ENV = "CONVLAB_KERNEL_CPU_LOG"
# An item that used less CPU than this share of its wall time is waiting, not computing.
IDLE_CPU_SHARE = 0.25
# Whatever it does, an item stops after this many times its wall-clock timeout.
WALL_BACKSTOP = 4


class KernelDied(RuntimeError):
    """The kernel process exited (crash, os._exit, out of memory) or stopped answering."""


@dataclass
class ExecResult:
    """What happened when one piece of code ran in the kernel.

    status: "ok", "error", "timeout" (stopped by the wall-clock or CPU limit) or "died".
    """

    status: str
    outputs: list[Any] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    restarted: bool = False  # the kernel ignored the interrupt and was replaced: state is gone
    ename: str = ""  # status "error": the class name of the exception (graders branch on it, not on text)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class StudentKernel:
    """A kernel that runs one student's code under the sandbox limits.

    files: paths copied into the scratch folder (data files that sit beside the notebook).
    """

    def __init__(
        self,
        settings: SandboxSettings | None = None,
        files: list[Path] | None = None,
    ) -> None:
        self.settings = settings or SandboxSettings()
        self.python = venv_python()
        parent = scratch_parent()
        self.support = parent / ".sandbox"
        # Refuse before any file is copied: an unsandboxed kernel is an error unless allowed.
        self.sandbox_note = sandbox_note(self.settings)
        self.scratch = parent / f"k-{secrets.token_hex(16)}"
        self.scratch.mkdir(mode=0o700)
        if self.sandboxed:
            size_limited(self.scratch, self.settings)
        for extra in files or []:
            target = self.scratch / extra.name
            if extra.is_dir():
                shutil.copytree(extra, target)
            else:
                shutil.copy2(extra, target)
        for sub in (".ipython", ".matplotlib", ".runtime", ".jupyter", ".keras", "calls"):
            (self.scratch / sub).mkdir(exist_ok=True)
        if self.sandboxed:
            seed_font_cache(self.support, self.scratch / ".matplotlib")
        self.proc: subprocess.Popen[bytes] | None = None
        self.client: BlockingKernelClient | None = None
        # (uid, gid) the kernel runs as when it is not the grading user; files for it get that owner.
        self.owner: tuple[int, int] | None = None
        self.restarts = 0
        self.figures = FigureBudget()  # inline figures kept over the kernel's life
        self.cpu_seconds = 0.0  # CPU the kernel used over its life, restarts included
        # Peak resident memory of the kernel's Python process (VmHWM), the largest over restarts.
        self.peak_rss_bytes = 0
        self._python_proc: psutil.Process | None = None

    @property
    def sandboxed(self) -> bool:
        return self.sandbox_note is None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Launch the kernel and wait until it answers."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the kernel process without waiting for it: the caller may do other work while
        it boots (a kernel needs about 0.4 s to import IPython), then calls `wait_ready`."""
        connection_file = self.scratch / ".runtime" / f"kernel-{secrets.token_hex(8)}.json"
        # Unix-domain sockets in the scratch folder: the sandboxed kernel has no network to share.
        write_connection_file(str(connection_file), transport="ipc", ip=str(self.scratch / ".runtime" / "k"),
                              key=secrets.token_hex(32).encode())
        launch = kernel_launch(connection_file, self.scratch, self.support, self.settings, self.python,
                               self.sandboxed)
        self._python_proc = None
        self.owner = (launch.uid, launch.gid) if launch.uid is not None else None
        if self.owner is not None:
            self._give_scratch_to(*self.owner)
        self.proc = subprocess.Popen(
            launch.argv,
            env=launch.env,
            cwd=launch.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = BlockingKernelClient(connection_file=str(connection_file))
        client.load_connection_file()
        client.start_channels()
        self.client = client

    def wait_ready(self) -> None:
        """Block until the launched kernel answers on its shell and iopub channels."""
        try:
            self._wait_ready()
        except Exception:
            self.shutdown()
            raise

    def _give_scratch_to(self, uid: int, gid: int) -> None:
        for root, dirs, files in os.walk(self.scratch):
            for name in [root, *(os.path.join(root, d) for d in dirs),
                         *(os.path.join(root, f) for f in files)]:
                os.chown(name, uid, gid)

    def _wait_ready(self) -> None:
        assert self.client is not None
        deadline = time.monotonic() + self.settings.startup_timeout
        asked: set[str] = set()
        iopub_wait = 0.03
        while time.monotonic() < deadline:
            if not self.alive():
                raise KernelDied("the kernel exited while starting")
            asked.add(self.client.kernel_info())
            try:
                self.client.get_shell_msg(timeout=0.5)
            except queue.Empty:
                continue
            if self._python_proc is None:
                # Found once: scanning the process table on every call would cost milliseconds.
                pythons = [p for p in self._kernel_processes() if "python" in (p.name() or "")]
                self._python_proc = pythons[0] if pythons else None
            # The iopub subscription is connected once an "idle" status for one of our requests
            # arrives there; before that, the first cell's output could be lost. Asking again (a
            # round trip takes milliseconds) covers a subscription that joined after such a
            # message; the wait grows so that a kernel slowed by a loaded machine gets there too.
            if self._iopub_idle_for(asked, timeout=iopub_wait):
                return
            iopub_wait = min(1.0, iopub_wait * 2)
        raise KernelDied(f"the kernel did not start within {self.settings.startup_timeout:.0f} s")

    def _iopub_idle_for(self, msg_ids: set[str], timeout: float) -> bool:
        assert self.client is not None
        until = time.monotonic() + timeout
        while (left := until - time.monotonic()) > 0:
            try:
                msg = self.client.get_iopub_msg(timeout=left)
            except queue.Empty:
                return False
            if (msg.get("parent_header", {}).get("msg_id") in msg_ids
                    and msg.get("msg_type") == "status"
                    and msg["content"].get("execution_state") == "idle"):
                return True
        return False

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _kernel_processes(self) -> list[psutil.Process]:
        if self.proc is None:
            return []
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def _cpu_seconds(self) -> float:
        """CPU time of the kernel process (forked children are bounded by RLIMIT_CPU instead)."""
        if self._python_proc is None:
            return 0.0
        try:
            t = self._python_proc.cpu_times()
        except psutil.Error:
            return 0.0
        return t.user + t.system + t.children_user + t.children_system

    def interrupt(self) -> None:
        """SIGINT to the Python kernel process (the innermost one; the outer ones are wrappers)."""
        if self._python_proc is not None:
            try:
                self._python_proc.send_signal(signal.SIGINT)
            except psutil.Error:
                pass

    def _read_peak_rss(self) -> None:
        if self._python_proc is not None:
            self.peak_rss_bytes = max(self.peak_rss_bytes, peak_rss_of(self._python_proc.pid))

    def kill(self) -> None:
        if self.proc is None:
            return
        self._read_peak_rss()
        self.cpu_seconds += self._cpu_seconds()
        for p in reversed(self._kernel_processes()):
            try:
                p.kill()
            except psutil.Error:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.error("kernel process %s did not exit after SIGKILL", self.proc.pid)

    def restart(self) -> None:
        self.restarts += 1
        self._stop_client()
        self.kill()
        self.start()

    def _stop_client(self) -> None:
        if self.client is not None:
            try:
                self.client.stop_channels()
            except Exception:  # noqa: BLE001 - closing sockets of a dead kernel may fail any way
                pass
            self.client = None

    def shutdown(self) -> None:
        self._stop_client()
        self.kill()
        release(self.scratch)
        log_path = os.environ.get(CPU_LOG_ENV)
        if log_path:
            # One line per kernel, appended whole: benchmarks add them up across processes.
            with open(log_path, "a") as fh:
                fh.write(f"{self.cpu_seconds:.3f}\n")

    def __enter__(self) -> StudentKernel:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- execution -------------------------------------------------------------------------

    def execute(self, code: str, timeout: float, keep_outputs: bool = True,
                cpu_budget: float | None = None) -> ExecResult:
        """Run code; stop it when it has used `cpu_budget` CPU seconds over all its threads
        (default: the item CPU budget), or waited `timeout` wall seconds without computing, or
        run `WALL_BACKSTOP` times `timeout` in any case.

        Code that computes is limited by the CPU it uses, not by the wall clock: on a machine that
        grades several submissions at once the same cell takes longer, and a wall-clock limit
        would then cut a training that a quiet machine lets finish (a different score for the
        same submission). Code that waits (sleep, a lock, a blocked read) uses no CPU; the
        wall-clock limit catches it.

        A kernel that ignores the interrupt, or dies, is restarted; the caller re-runs whatever
        state it needs (status "died" or "timeout" with `restarted`).
        """
        cpu_budget = self.settings.item_cpu_seconds if cpu_budget is None else cpu_budget
        if not self.alive() or self.client is None:
            raise KernelDied("the kernel is not running")
        started = time.monotonic()
        cpu_start = self._cpu_seconds()
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False, stop_on_error=True)
        out = Outputs(self.figures, keep_outputs)
        idle = False
        reply_status = None
        stop_reason = ""
        interrupted_at: float | None = None
        next_cpu_check = started + 0.25
        while True:
            now = time.monotonic()
            if not self.alive():
                return ExecResult("died", out.items, "the kernel died (crash, exit or out of memory)", now - started)
            if interrupted_at is None and (now >= next_cpu_check or now - started > WALL_BACKSTOP * timeout):
                next_cpu_check = now + 0.25
                stop_reason = self._limit_reached(now - started, cpu_start, timeout, cpu_budget)
                if stop_reason:
                    interrupted_at = now
                    self.interrupt()
            elif interrupted_at is not None and now - interrupted_at > 3.0:
                # SIGINT-proof code: only a fresh kernel gets us going again.
                self.restart()
                return ExecResult("timeout", out.items, stop_reason, now - started, restarted=True)
            msg = self._iopub_for(msg_id)
            if msg is not None:
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    idle = True
                else:
                    out.take(msg)
            if idle and reply_status is None:
                reply_status = self._reply_status(msg_id)
            if idle and reply_status is not None:
                seconds = time.monotonic() - started
                if stop_reason:
                    return ExecResult("timeout", out.items, stop_reason, seconds)
                if reply_status == "ok":
                    return ExecResult("ok", out.items, "", seconds)
                return ExecResult("error", out.items, out.error or "execution failed", seconds, ename=out.ename)

    def _limit_reached(self, elapsed: float, cpu_start: float, timeout: float, cpu_budget: float) -> str:
        """Why the running item must stop now ('' while it may go on)."""
        if elapsed > WALL_BACKSTOP * timeout:
            return f"stopped after {WALL_BACKSTOP * timeout:.0f} s wall-clock limit"
        used = self._cpu_seconds() - cpu_start
        if used > cpu_budget:
            return f"stopped after {cpu_budget:.0f} s CPU limit"
        if elapsed > timeout and used < IDLE_CPU_SHARE * elapsed:
            return f"stopped after {timeout:.0f} s of waiting without computing"
        return ""

    def _answer_to(self, channel: str, msg_id: str, timeout: float) -> dict | None:
        """The next message on `channel` ("iopub" or "shell") if it answers request `msg_id`;
        None when none came within `timeout` seconds or it answers another request."""
        assert self.client is not None
        receive = self.client.get_iopub_msg if channel == "iopub" else self.client.get_shell_msg
        try:
            msg = receive(timeout=timeout)
        except queue.Empty:
            return None
        return msg if msg.get("parent_header", {}).get("msg_id") == msg_id else None

    def _iopub_for(self, msg_id: str) -> dict | None:
        """The next iopub message of request `msg_id` (None after 0.1 s without one)."""
        return self._answer_to("iopub", msg_id, 0.1)

    def _reply_status(self, msg_id: str) -> str | None:
        """The shell reply's status of request `msg_id`, or None while it has not come."""
        reply = self._answer_to("shell", msg_id, 1.0)
        return None if reply is None else reply["content"].get("status", "error")

    @property
    def calls_dir(self) -> Path:
        return self.scratch / "calls"
