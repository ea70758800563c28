"""What is compared: each student's answer cells per task, with starter code, comments and docstrings gone.

A task is an nbgrader answer cell (`solution: true`) of code, named by its `grade_id`. Its text is
normalised before fingerprinting, so that what differs between two students is their logic, not
how much of the release they kept: the code is parsed and printed back (`ast.unparse`), which drops
comments, blank lines and layout; docstrings, type annotations, imports and the stub's
`raise NotImplementedError()` are removed. A cell whose normalised code equals the release's stub is
left untouched and is not compared. Code that does not parse is kept as written, minus the lines it
shares with the release cell (copydetect's tokenizer still drops its comments).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from convlab import course
from convlab.notebook import nbgrader_meta, strip_markers

# IPython magics and shell escapes are not Python; they carry no logic worth comparing.
_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)


class NoSubmissions(ValueError):
    """There are no submitted notebooks to compare; the message says where it looked."""


@dataclass(frozen=True)
class Answer:
    """One student's normalised code for one task (`code` is what is fingerprinted and shown)."""

    task: str
    student: str
    code: str
    archived: bool = False  # from an earlier term: compared with this term's students only


@dataclass
class Boilerplate:
    """Per task, the normalised code every student may share: the release's stub and the reference."""

    starter: dict[str, str] = field(default_factory=dict)
    reference: dict[str, str] = field(default_factory=dict)
    release_cells: dict[str, str] = field(default_factory=dict)  # the stubs as released (to strip broken code)

    def of(self, task: str) -> list[str]:
        return [code for code in (self.starter.get(task), self.reference.get(task)) if code]


def _clean(body: list[ast.stmt], required: bool) -> list[ast.stmt]:
    """A block without docstrings, stray constants, imports, the stub's raise and annotations.

    Only statements are walked: expressions hold none of these, and walking every node cost more than
    parsing. `required`: the block must keep a statement (a function's body), else it may end empty.
    """
    kept: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring, or a stray string or number: no logic
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue  # every student imports numpy; an import says nothing about copying
        if isinstance(stmt, ast.Raise) and _is_not_implemented(stmt.exc):
            continue
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is None:
                continue
            stmt = ast.Assign([stmt.target], stmt.value, lineno=stmt.lineno)
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            stmt.returns = None
            args = stmt.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if arg is not None:
                    arg.annotation = None
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                setattr(stmt, name, _clean(block, required=name == "body"))
        for inner in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
            inner.body = _clean(inner.body, required=True)
        kept.append(stmt)
    return kept or ([ast.Pass()] if required else [])


def _is_not_implemented(exc: ast.expr | None) -> bool:
    target = exc.func if isinstance(exc, ast.Call) else exc
    return isinstance(target, ast.Name) and target.id == "NotImplementedError"


def normalise(code: str, release_cell: str = "") -> str:
    """`code` as compared: parsed and printed back without comments, docstrings, annotations,
    imports and `raise NotImplementedError()`. Unparsable code keeps its lines not in `release_cell`."""
    text = _MAGIC.sub("", strip_markers(code))
    try:
        tree = ast.parse(text)
    except SyntaxError:
        released = {line.strip() for line in release_cell.splitlines() if line.strip()}
        return "\n".join(line for line in text.splitlines() if line.strip() and line.strip() not in released)
    tree.body = [s for s in _clean(tree.body, required=False) if not isinstance(s, ast.Pass)]
    return ast.unparse(tree).strip()


def solution_cells(nb: dict) -> dict[str, str]:
    """grade_id -> source of every code answer cell (nbgrader `solution: true`) of a notebook (a
    NotebookNode or its plain JSON); the first of duplicates."""
    found: dict[str, str] = {}
    for cell in nb.get("cells", []):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if cell.get("cell_type") == "code" and meta.get("solution") and isinstance(grade_id, str):
            source = cell.get("source", "")
            found.setdefault(grade_id, "".join(source) if isinstance(source, list) else source)
    return found


def boilerplate(assignment: str, root: Path) -> Boilerplate:
    """The release's stubs and the reference solutions (the source notebook's answer cells), normalised."""
    found = course.assignment(assignment, root)
    release = nbformat.read(found.release_notebook, as_version=4)
    source = nbformat.read(found.source_notebook, as_version=4)
    starter = {task: normalise(code) for task, code in solution_cells(release).items()}
    # The source cells hold the reference between BEGIN/END SOLUTION markers; solutions/<notebook>.py
    # holds the same functions (`make sync` keeps them equal), so the source notebook is enough.
    reference = {task: normalise(code) for task, code in solution_cells(source).items()}
    return Boilerplate(starter, reference, solution_cells(release))


def answers_of_cells(task: str, cells: Iterable[tuple[str, str, bool]], starter: str,
                     release_cell: str = "") -> list[Answer]:
    """The normalised answers to `task` from (student, cell source, archived) triples; cells left as
    the release's stub (`starter`, normalised) are left out: there is nothing of the student's in them.
    `release_cell`: the stub as released, whose lines code that does not parse loses."""
    answers = []
    for student, code, archived in cells:
        text = normalise(code, release_cell)
        if text and text != starter:
            answers.append(Answer(task, student, text, archived))
    return answers
