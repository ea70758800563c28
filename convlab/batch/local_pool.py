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

log = logging.getLogger(__name__)

def _descendants(proc: multiprocessing.process.BaseProcess) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return []


def _kill_tree(proc: multiprocessing.process.BaseProcess, known: list[psutil.Process] = ()) -> None:
    """Kill a worker and everything below it. `known`: descendants seen while it was alive, since
    the kernel of a worker that already died is no longer its child (psutil checks the PIDs' start
    times, so a recycled PID is never hit)."""
    family = [*_descendants(proc), *known]
    with contextlib.suppress(psutil.Error):
        family.append(psutil.Process(proc.pid))
    for p in family:
        with contextlib.suppress(psutil.Error):
            if p.is_running():
                p.kill()
    proc.join(5)
    for scratch in Path(tempfile.gettempdir()).glob(f"convlab-batch-{proc.pid}-*"):
        shutil.rmtree(scratch, ignore_errors=True)


def run_local(tasks: list[Task], workers: int, timeout: float, on_result: OnResult,
              progress: Progress) -> None:
    """A pool of spawned worker processes; a dead worker's task is retried once on a new one."""
    ctx = multiprocessing.get_context("spawn")
    pending: deque[Task] = deque(tasks)
    idle: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    # conn -> (worker, task, when the worker started it or None while it is still starting up)
    busy: dict[Connection, tuple[multiprocessing.process.BaseProcess, Task, float | None]] = {}
    family: dict[Connection, list[psutil.Process]] = {}  # each busy worker's kernel and helpers, last seen

    def spawn() -> tuple[multiprocessing.process.BaseProcess, Connection]:
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(there,), daemon=True, name="convlab-grader")
        proc.start()
        there.close()
        return proc, here

    def lost(task: Task, why: str) -> None:
        if task.attempt < MAX_ATTEMPTS and "timed out" not in why:
            log.warning("%s: %s; retrying on a fresh worker", task.student, why)
            task.attempt += 1
            pending.appendleft(task)
        else:
            progress.update(on_result(TaskResult(task.student, task.assignment, False, error=why)))

    try:
        while pending or busy:
            while pending and len(busy) < workers:
                proc, conn = idle.pop() if idle else spawn()
                task = pending.popleft()
                conn.send(task)
                busy[conn] = (proc, task, None)
            ready = wait(list(busy) + [p.sentinel for p, _, _ in busy.values()], timeout=1.0)
            for conn in list(busy):
                proc, task, started = busy[conn]
                if proc.is_alive():
                    family[conn] = _descendants(proc) or family.get(conn, [])
                if conn in ready or proc.sentinel in ready:
                    try:
                        outcome = conn.recv() if conn.poll() else None
                    except (EOFError, OSError):
                        outcome = None
                    if outcome == STARTED:
                        busy[conn] = (proc, task, time.monotonic())
                        continue
                    del busy[conn]
                    if outcome is None:
                        _kill_tree(proc, family.pop(conn, []))
                        lost(task, f"the grading worker died (exit code {proc.exitcode})")
                    else:
                        idle.append((proc, conn))
                        progress.update(on_result(outcome))
                elif started is not None and time.monotonic() - started > timeout:
                    del busy[conn]
                    _kill_tree(proc, family.pop(conn, []))
                    lost(task, f"timed out after {timeout:.0f} s; the worker and its kernel were killed")
    finally:
        # Normal end, Ctrl-C or error: no worker or kernel outlives the batch.
        for conn, (proc, _, _) in busy.items():
            _kill_tree(proc, family.get(conn, []))
        for proc, conn in idle:
            with contextlib.suppress(OSError):
                conn.send(None)
            proc.join(5)
            if proc.is_alive():
                _kill_tree(proc)
