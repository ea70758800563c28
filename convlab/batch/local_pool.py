"""Local worker processes: a pool that survives dying workers and kills runaway ones with their kernels."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import shutil
import tempfile
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path

import psutil

from convlab.batch.progress import Progress
from convlab.batch.tasks import MAX_ATTEMPTS, STARTED, OnResult, Task, TaskResult
from convlab.batch.worker import _worker_main
from convlab.runtime.scratch import release, scratch_parent

log = logging.getLogger(__name__)

def _descendants(proc: multiprocessing.process.BaseProcess) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return []


def _kernel_folder(process: psutil.Process) -> list[Path]:
    """The scratch folder of a kernel process: its connection file is `<folder>/.runtime/kernel-*.json`."""
    try:
        argv = process.cmdline()
    except psutil.Error:
        return []
    if "ipykernel_launcher" not in argv or "-f" not in argv[:-1]:
        return []
    folder = Path(argv[argv.index("-f") + 1]).parent.parent
    return [folder] if folder.parent == scratch_parent() else []


def _kill_tree(proc: multiprocessing.process.BaseProcess, known: list[psutil.Process] = ()) -> None:
    """Kill a worker and everything below it. `known`: descendants seen while it was alive, since
    the kernel of a worker that already died is no longer its child (psutil checks the PIDs' start
    times, so a recycled PID is never hit)."""
    family = [*_descendants(proc), *known]
    with contextlib.suppress(psutil.Error):
        family.append(psutil.Process(proc.pid))
    folders = {folder for p in family for folder in _kernel_folder(p)}
    for p in family:
        with contextlib.suppress(psutil.Error):
            if p.is_running():
                p.kill()
    proc.join(5)
    for folder in folders:  # the killed worker could not remove its kernel's folder (and tmpfs)
        release(folder)
    for scratch in Path(tempfile.gettempdir()).glob(f"convlab-batch-{proc.pid}-*"):
        shutil.rmtree(scratch, ignore_errors=True)


Worker = multiprocessing.process.BaseProcess


class _Pool:
    """Spawned worker processes, each grading one task at a time over a pipe."""

    def __init__(self, tasks: list[Task], workers: int, timeout: float, on_result: OnResult,
                 progress: Progress) -> None:
        self.ctx = multiprocessing.get_context("spawn")
        self.pending: deque[Task] = deque(tasks)
        self.workers, self.timeout, self.on_result, self.progress = workers, timeout, on_result, progress
        self.idle: list[tuple[Worker, Connection]] = []
        # conn -> (worker, task, when the worker started it or None while it is still starting up)
        self.busy: dict[Connection, tuple[Worker, Task, float | None]] = {}
        self.family: dict[Connection, list[psutil.Process]] = {}  # each busy worker's kernel and helpers, last seen

    def _spawn(self) -> tuple[Worker, Connection]:
        here, there = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(there,), daemon=True, name="convlab-grader")
        proc.start()
        there.close()
        return proc, here

    def _lost(self, task: Task, why: str) -> None:
        if task.attempt < MAX_ATTEMPTS and "timed out" not in why:
            log.warning("%s: %s; retrying on a fresh worker", task.student, why)
            task.attempt += 1
            self.pending.appendleft(task)
        else:
            self.progress.update(self.on_result(TaskResult(task.student, task.assignment, False, error=why)))

    def dispatch(self) -> None:
        while self.pending and len(self.busy) < self.workers:
            proc, conn = self.idle.pop() if self.idle else self._spawn()
            task = self.pending.popleft()
            conn.send(task)
            self.busy[conn] = (proc, task, None)

    def collect(self) -> None:
        """Wait up to a second, then take every answer, death and timeout."""
        ready = wait(list(self.busy) + [p.sentinel for p, _, _ in self.busy.values()], timeout=1.0)
        for conn in list(self.busy):
            proc, task, started = self.busy[conn]
            if proc.is_alive():
                self.family[conn] = _descendants(proc) or self.family.get(conn, [])
            if conn in ready or proc.sentinel in ready:
                self._answer(conn)
            elif started is not None and time.monotonic() - started > self.timeout:
                del self.busy[conn]
                _kill_tree(proc, self.family.pop(conn, []))
                self._lost(task, f"timed out after {self.timeout:.0f} s; the worker and its kernel were killed")

    def _answer(self, conn: Connection) -> None:
        proc, task, _ = self.busy[conn]
        try:
            outcome = conn.recv() if conn.poll() else None
        except (EOFError, OSError):
            outcome = None
        if outcome == STARTED:
            self.busy[conn] = (proc, task, time.monotonic())
            return
        del self.busy[conn]
        if outcome is None:
            _kill_tree(proc, self.family.pop(conn, []))
            self._lost(task, f"the grading worker died (exit code {proc.exitcode})")
        else:
            self.idle.append((proc, conn))
            self.progress.update(self.on_result(outcome))

    def close(self) -> None:
        """Normal end, Ctrl-C or error: no worker or kernel outlives the batch."""
        for conn, (proc, _, _) in self.busy.items():
            _kill_tree(proc, self.family.get(conn, []))
        for proc, conn in self.idle:
            with contextlib.suppress(OSError):
                conn.send(None)
            proc.join(5)
            if proc.is_alive():
                _kill_tree(proc)


def run_local(tasks: list[Task], workers: int, timeout: float, on_result: OnResult,
              progress: Progress) -> None:
    """A pool of spawned worker processes; a dead worker's task is retried once on a new one."""
    pool = _Pool(tasks, workers, timeout, on_result, progress)
    try:
        while pool.pending or pool.busy:
            pool.dispatch()
            pool.collect()
    finally:
        pool.close()
