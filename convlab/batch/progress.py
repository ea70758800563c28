"""The batch's progress: a live bar with ETA and failures on a terminal (rich), a line per result otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from convlab.batch.tasks import StudentLine


class Progress:
    """Counts graded and failed submissions. On a terminal, rich draws the bar and prints each
    failure above it; in a log (CI, a file) every result is one plain line with the counts and ETA."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.stream = total, stream
        self.done = self.failed = 0
        self.start = time.monotonic()
        self._bar: RichProgress | None = None
        if hasattr(stream, "isatty") and stream.isatty():
            self._bar = RichProgress(
                TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
                TimeRemainingColumn(), console=Console(file=stream), transient=False,
            )
            self._task = self._bar.add_task("grading", total=total, failed=0)
            self._bar.start()

    @staticmethod
    def _clock(seconds: float) -> str:
        seconds = int(max(0, seconds))
        return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600}h{seconds // 60 % 60:02d}"

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else None
        return (f"{self.done}/{self.total} graded, {self.failed} failed, elapsed {self._clock(elapsed)}, "
                f"ETA {self._clock(eta) if eta is not None else '?'}")

    def update(self, line: StudentLine | None = None) -> None:
        if line is None:
            return
        self.done += 1
        self.failed += line.status == "failed"
        if self._bar is not None:
            if line.status == "failed":
                self._bar.console.print(f"failed: {line.student}: {line.detail.splitlines()[0]}")
            self._bar.update(self._task, completed=self.done, failed=self.failed)
            return
        self.stream.write(f"{self.line()}  {line.student}: {line.status} ({line.seconds:.1f} s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
