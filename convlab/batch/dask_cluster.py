"""Workers on a Dask cluster: one task per submission, TLS when the configuration asks for it."""

from __future__ import annotations

import uuid
from typing import Any

from convlab.batch.progress import Progress
from convlab.batch.tasks import MAX_ATTEMPTS, OnResult, Task, TaskResult
from convlab.batch.worker import grade_task


def run_dask(tasks: list[Task], scheduler: str, on_result: OnResult, progress: Progress,
             security: Any = None) -> None:
    """One Dask task per submission; a task lost with its worker is resubmitted once.

    security: a `distributed.security.Security`; by default the one Dask's configuration describes
    (`distributed.comm.tls.*`, e.g. DASK_DISTRIBUTED__COMM__TLS__CA_FILE), so a cluster that
    requires TLS client certificates is reached with them.
    """
    from distributed import Client, as_completed
    from distributed.security import Security

    run_id = uuid.uuid4().hex[:8]  # keys stay unique if two batches share a cluster
    with Client(scheduler, timeout="30s", security=security or Security()) as client:
        futures = {}
        for task in tasks:
            fut = client.submit(grade_task, task, pure=False,
                                key=f"grade-{task.assignment}-{task.student}-1-{run_id}")
            futures[fut.key] = (fut, task)
        done = as_completed([fut for fut, _ in futures.values()])
        try:
            for fut in done:
                task = futures[fut.key][1]
                try:
                    outcome = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection, ...
                    if task.attempt < MAX_ATTEMPTS:
                        task.attempt += 1
                        retry = client.submit(grade_task, task, pure=False,
                                              key=f"grade-{task.assignment}-{task.student}-{task.attempt}-{run_id}")
                        futures[retry.key] = (retry, task)
                        done.add(retry)
                        continue
                    outcome = TaskResult(task.student, task.assignment, False,
                                      error=f"Dask task failed: {type(exc).__name__}: {exc}")
                progress.update(on_result(outcome))
        except BaseException:
            client.cancel([f for f, _ in futures.values()])
            raise
