"""Autograded files into place: a folder of autograded/ is always complete (rename, never overwrite)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from convlab.batch.tasks import STAGING, TaskResult
from convlab.course import AUTOGRADED, autograded_dir


def commit(course_root: Path, outcome: TaskResult) -> None:
    """Write the autograded folder under a staging name, then rename it into place."""
    staging = course_root / AUTOGRADED / STAGING / f"{outcome.student}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    new = staging / "new"
    for rel, (data, mode) in outcome.files.items():
        path = new / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, mode)
    dest = autograded_dir(outcome.student, outcome.assignment, course_root)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        os.rename(dest, staging / "old")
    os.rename(new, dest)
    shutil.rmtree(staging, ignore_errors=True)
