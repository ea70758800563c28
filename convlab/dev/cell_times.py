"""`python -m convlab.dev.cell_times ASSIGNMENT`: CPU and wall seconds of each cell of the reference.

The reference submission runs in a plain kernel (nbclient, the release folder's files beside it,
MPLBACKEND=Agg and oneDNN off as in grading). CPU seconds are the kernel process's user + system
time over all its threads: the quantity the per-cell CPU limit bounds, and the same on a busy
machine, where wall seconds are not. The notebooks and the README quote these numbers.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import psutil
from nbclient import NotebookClient

from convlab import course
from convlab.dev.corpus import reference_submission

SHOWN = 1.0  # CPU or wall seconds from which a cell is listed


def measure(assignment: str) -> list[tuple[int, str, float, float]]:
    """(cell index, first line, CPU seconds, wall seconds) of every code cell of the reference."""
    (notebook,) = course.notebooks(assignment)
    nb = reference_submission(assignment, notebook)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shipped in course.beside_notebook(course.release_dir(assignment)):
            shutil.copy(shipped, tmp)
        os.environ.update(MPLBACKEND="Agg", TF_ENABLE_ONEDNN_OPTS="0", TF_CPP_MIN_LOG_LEVEL="2")
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}})
        with client.setup_kernel():
            kernel = psutil.Process(client.km.provisioner.process.pid)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                before, start = kernel.cpu_times(), time.perf_counter()
                client.execute_cell(cell, index)
                after = kernel.cpu_times()
                cpu = (after.user - before.user) + (after.system - before.system)
                rows.append((index, cell.source.strip().splitlines()[0], cpu, time.perf_counter() - start))
    return rows


def main(assignment: str) -> int:
    rows = measure(assignment)
    print(f"{assignment}: reference notebook, {psutil.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    for index, first, cpu, wall in rows:
        if cpu >= SHOWN or wall >= SHOWN:
            print(f"  cell {index:2d} {cpu:6.1f} CPU-s {wall:6.1f} s  {first[:70]}")
    print(f"  all cells {sum(r[2] for r in rows):6.1f} CPU-s {sum(r[3] for r in rows):6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
