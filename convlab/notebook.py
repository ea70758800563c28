"""Reading notebooks: what the source says is graded, and which of the student's cells to run.

The source notebook is the authority. Whatever a submission did to its test cells (edited,
deleted, duplicated, changed points), grading uses the source's items and points, and runs only the
student's own code cells.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from convlab.course import Assignment

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
_CHECKS_LINE = re.compile(r"^\s*#\s*checks?:\s*(?P<names>.+?)\s*$", re.MULTILINE)
_HIDDEN_BLOCK = re.compile(
    re.escape(HIDDEN_BEGIN) + r".*?" + re.escape(HIDDEN_END) + r"\n?", re.DOTALL
)
HIDDEN_PLACEHOLDER = "# (hidden checks ran here: see the report below)\n"
# nbgrader's markers around the reference code of a source notebook's answer cell.
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"


class BrokenNotebook(ValueError):
    """The submission cannot be read as a notebook; the message is for the student."""


@dataclass(frozen=True)
class GradedItem:
    """One auto-graded test cell of the source notebook.

    checks: ids of the grader checks (pytest test functions without the `test_` prefix).
    """

    grade_id: str
    points: float
    checks: tuple[str, ...]


@dataclass(frozen=True)
class ManualItem:
    grade_id: str
    points: float


@dataclass
class SourceLayout:
    """What the instructor's source notebook grades, in notebook order."""

    items: list[GradedItem]
    manual: list[ManualItem]
    test_ids: set[str]
    locked: dict[str, str]  # grade_id -> source, for read-only cells the student must not change
    solution_ids: list[str]

    @property
    def max_score(self) -> float:
        return sum(item.points for item in self.items)


@dataclass
class StudentCell:
    index: int  # position in the submitted notebook
    source: str
    grade_id: str | None = None


@dataclass
class PreparedSubmission:
    cells: list[StudentCell]
    notes: list[str] = field(default_factory=list)


def nbgrader_meta(cell: NotebookNode) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def hidden_checks(source: str) -> tuple[str, ...]:
    """The check ids named in the hidden block of a test cell's source."""
    names: list[str] = []
    for block in _HIDDEN_BLOCK.findall(source):
        for match in _CHECKS_LINE.finditer(block):
            names.extend(n.strip(",") for n in match.group("names").split() if n.strip(","))
    return tuple(names)


def strip_markers(cell_source: str) -> str:
    """An answer cell's code without its solution markers (the reference code itself)."""
    return "\n".join(line for line in cell_source.split("\n") if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def strip_hidden(source: str) -> str:
    """A test cell's source without its hidden block (what students and feedback may see)."""
    return _HIDDEN_BLOCK.sub(HIDDEN_PLACEHOLDER, source)


def read_layout(source_nb: NotebookNode) -> SourceLayout:
    items: list[GradedItem] = []
    manual: list[ManualItem] = []
    locked: dict[str, str] = {}
    test_ids: set[str] = set()
    solution_ids: list[str] = []
    for cell in source_nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        if meta.get("solution"):
            solution_ids.append(grade_id)
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            checks = hidden_checks(cell.source)
            if not checks:
                raise ValueError(f"test cell {grade_id!r} names no checks in its hidden block")
            items.append(GradedItem(grade_id, float(meta["points"]), checks))
            test_ids.add(grade_id)
        elif meta.get("grade"):
            manual.append(ManualItem(grade_id, float(meta["points"])))
        elif meta.get("locked"):
            locked[grade_id] = cell.source
    return SourceLayout(items, manual, test_ids, locked, solution_ids)


def load_submission(path: Path) -> NotebookNode:
    """Read a submitted notebook or raise BrokenNotebook with a message a student can act on."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise BrokenNotebook(f"the file could not be opened ({exc.strerror})") from None
    return parse_submission(text)


def parse_submission(raw: str | bytes) -> NotebookNode:
    """Parse notebook text, or raise BrokenNotebook saying what is wrong with it."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BrokenNotebook("the file is not UTF-8 text, so it is not a notebook") from None
    text = raw
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise BrokenNotebook(
            f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it was probably edited outside Jupyter or truncated"
        ) from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a bad structure
        raise BrokenNotebook(f"the file is JSON but not a valid notebook ({str(exc)[:200]})") from None
    return nb


def prepare_submission(nb: NotebookNode, layout: SourceLayout) -> PreparedSubmission:
    """The student's code cells to run, in order: test cells dropped, locked cells restored."""
    cells: list[StudentCell] = []
    notes: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not isinstance(grade_id, str) or not grade_id:
            grade_id = None
        if cell.get("cell_type") != "code":
            if grade_id:
                seen.add(grade_id)
            continue
        if grade_id in seen:
            notes.append(f"cell {grade_id!r} appears twice; the copy was run as an ordinary cell")
            grade_id = None
        if grade_id:
            seen.add(grade_id)
        if grade_id in layout.test_ids:
            continue
        source = cell.get("source", "")
        if not isinstance(source, str):
            source = "".join(source) if isinstance(source, list) else ""
        if grade_id in layout.locked and source != layout.locked[grade_id]:
            notes.append(f"read-only cell {grade_id!r} was edited; the original was run instead")
            source = layout.locked[grade_id]
        cells.append(StudentCell(index, source, grade_id))
    for grade_id in layout.solution_ids:
        if grade_id not in seen:
            notes.append(f"answer cell {grade_id!r} is missing from the notebook")
    for item in layout.items:
        if item.grade_id not in seen:
            notes.append(f"test cell {item.grade_id!r} was deleted; it was still graded")
    return PreparedSubmission(cells, notes)


def read_source(course_root: Path, assignment: str, notebook: str) -> NotebookNode:
    return nbformat.read(Assignment(assignment, notebook, course_root).source_notebook, as_version=4)
