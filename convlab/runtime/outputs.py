"""What a kernel request printed and drew, kept within budgets so that no notebook can flood the
feedback or the gradebook."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import nbformat

# Outputs kept per cell for the feedback report: enough to read, not enough to flood it.
MAX_OUTPUT_CHARS = 20_000
# Inline figures kept per kernel (over all its cells), so a notebook that draws 10,000 plots cannot
# blow up the gradebook: the first figures are kept, later ones replaced by a note.
MAX_FIGURE_BYTES = 4_000_000
MAX_FIGURES_PER_CELL = 12


@dataclass
class FigureBudget:
    """Inline figures kept over one kernel's life (all its cells)."""

    bytes_kept: int = 0

    def keep(self, msg: dict, index: int) -> Any:
        """The figure as the cell's output, or a short note once the budget is spent."""
        size = len(msg["content"]["data"]["image/png"])
        if index > MAX_FIGURES_PER_CELL or self.bytes_kept + size > MAX_FIGURE_BYTES:
            return nbformat.v4.new_output("stream", name="stdout", text=(
                f"[figure {index} not kept: a graded notebook keeps at most {MAX_FIGURES_PER_CELL} figures "
                f"per cell and {MAX_FIGURE_BYTES // 1_000_000} MB of figures in all]\n"))
        self.bytes_kept += size
        return nbformat.v4.output_from_msg(msg)



_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Lines libraries wrap around the sentence that says what went wrong (Keras 3 layer errors).
_WRAPPER_LINES = ("Exception encountered when calling", "Arguments received by")


def readable_error(text: str) -> str:
    """An error for a student's feedback: without terminal colour codes, the first line that says
    what went wrong (a Keras layer error's first line only names the layer), the exception class kept.

    'ValueError: Exception encountered when calling Reshape.call().\\n\\n\\x1b[1mThe total size ...'
    -> 'ValueError: The total size ...'"""
    text = _ANSI.sub("", text)
    prefix, sep, rest = text.partition(": ")
    if not sep or " " in prefix:
        prefix, rest = "", text
    lines = [line.strip() for line in rest.splitlines() if line.strip()]
    meaningful = [line for line in lines if not line.startswith(_WRAPPER_LINES)] or lines or [""]
    return f"{prefix}: {meaningful[0]}" if prefix else meaningful[0]


# A frame of an IPython traceback in notebook code: 'Cell In[3], line 20, in kmeans_anchors(wh, k)'.
_NOTEBOOK_FRAME = re.compile(r"^Cell In\[\d+\], line (\d+)(?:, in (\w+)\()?", re.MULTILINE)
_UNDEFINED = re.compile(r"name '(\w+)' is not defined")


def stopped_cell_line(error: dict, *, earlier_stopped: bool = False, yours: Collection[str] | None = None) -> str:
    """One line instead of a read-only cell's traceback: which function of the student's stopped it
    and why, for the feedback of an unfinished notebook (no library frames, no colour codes).

    `error` is an nbformat error output; `earlier_stopped`: a cell above this one stopped too (so a
    name it should have defined may be missing); `yours`: the functions the student's answer cells
    define (None: assume the failing function is theirs)."""
    ename, evalue = str(error.get("ename", "")), str(error.get("evalue", ""))
    frames = _NOTEBOOK_FRAME.findall(_ANSI.sub("", "\n".join(error.get("traceback", []))))
    line, function = frames[-1] if frames else ("", "")
    if ename == "NotImplementedError" and function:
        return (f"This read-only cell stopped: `{function}` is not implemented yet (it still raises "
                "NotImplementedError). It runs once that task is done.")
    undefined = _UNDEFINED.search(evalue) if ename == "NameError" else None
    if undefined:
        why = ("because a cell above that defines it stopped" if earlier_stopped
               else "was the cell that defines it deleted or renamed?")
        return f"This read-only cell stopped: `{undefined.group(1)}` is not defined ({why})."
    error_text = readable_error(f"{ename}: {evalue}" if evalue else ename)
    if function:
        whose = "your " if yours is None or function in yours else ""
        return f"This read-only cell stopped: {whose}`{function}` raised {error_text} (line {line} of its cell)."
    where = f" at its line {line}" if line else ""
    return f"This read-only cell stopped{where} with {error_text}"


@dataclass
class Outputs:
    """What one request printed and drew, within the output budgets (the error is kept always)."""

    figure_budget: FigureBudget
    keep: bool
    items: list[Any] = field(default_factory=list)
    chars: int = 0
    figures: int = 0
    error: str = ""
    ename: str = ""  # the class name of the exception the code raised

    def take(self, msg: dict) -> None:
        mtype, content = msg["msg_type"], msg["content"]
        if mtype == "error":
            self.error = readable_error(f"{content.get('ename')}: {content.get('evalue')}")
            self.ename = str(content.get("ename", ""))
            if self.keep:
                self.items.append(nbformat.v4.output_from_msg(msg))
        elif not self.keep or mtype not in ("stream", "display_data", "execute_result"):
            return
        elif "image/png" in content.get("data", {}):
            self.figures += 1
            self.items.append(self.figure_budget.keep(msg, self.figures))
        elif self.chars < MAX_OUTPUT_CHARS:
            out = nbformat.v4.output_from_msg(msg)
            self.chars += len(str(out))
            self.items.append(out)
