"""Building submissions from the release: the reference answer, and answers with one mistake.

Used by the demo class, the benchmark and the tests. A corpus entry is one Python file holding what
a student wrote for one function, with a header the tests read:

    # function: conv1d
    # loses: conv1d_modes conv1d_inputs
    # message: kernel not flipped
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from convlab import course
from convlab.notebook import nbgrader_meta, strip_markers
from convlab.settings import REPO_ROOT

_HEADER = re.compile(r"^#\s*(function|loses|message):[ \t]*(.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class CorpusEntry:
    """A (wrong or correct) student answer for one function."""

    name: str
    function: str
    loses: tuple[str, ...]
    message: str
    code: str

    @property
    def answer(self) -> str:
        """The code as a student would hand it in: without the corpus's header comments."""
        return "\n".join(line for line in self.code.splitlines() if not _HEADER.match(line)).lstrip("\n") + "\n"


def read_corpus_entry(path: Path) -> CorpusEntry:
    text = path.read_text()
    header = {key: value for key, value in _HEADER.findall(text)}
    if "function" not in header:
        raise ValueError(f"{path}: missing '# function:' header")
    return CorpusEntry(path.stem, header["function"], tuple(header.get("loses", "").split()),
                       header.get("message", ""), text)


def corpus(assignment: str, correct: bool = False, root: Path = REPO_ROOT) -> list[CorpusEntry]:
    folder = course.assignment(assignment, root).corpus_dir(correct)
    return [read_corpus_entry(p) for p in sorted(folder.glob("*.py"))]


def release_notebook(assignment: str, notebook: str, root: Path = REPO_ROOT) -> NotebookNode:
    return nbformat.read(course.Assignment(assignment, notebook, root).release_notebook, as_version=4)


def reference_submission(assignment: str, notebook: str, root: Path = REPO_ROOT) -> NotebookNode:
    """The release notebook with every answer cell filled in from the source's solutions."""
    source = nbformat.read(course.Assignment(assignment, notebook, root).source_notebook, as_version=4)
    answers = {nbgrader_meta(c).get("grade_id"): strip_markers(c.source)
               for c in source.cells if nbgrader_meta(c).get("solution")}
    nb = release_notebook(assignment, notebook, root)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def with_answer(nb: NotebookNode, grade_id: str, code: str) -> NotebookNode:
    """A copy of `nb` whose answer cell `grade_id` holds `code`."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            cell.source = code
            return nb
    raise KeyError(f"no answer cell {grade_id!r}")


def write_submission(nb: NotebookNode, submitted_root: Path, student: str, assignment: str,
                     notebook: str) -> Path:
    folder = course.student_dir(submitted_root, student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = course.notebook_file(folder, notebook)
    nbformat.write(nb, path)
    return path
