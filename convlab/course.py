"""The one name mapping of the course: every path of an assignment is built here, and only here.

Every folder of `source/` is an assignment (`02_conv1d`) holding one notebook (`conv1d.ipynb`); its
reference functions are `solutions/<notebook>.py`, its hidden graders `graders/a<assignment>/`
(a Python package name cannot start with a digit), and its corpus of typical answers
`tests/corpus/<assignment>/` (wrong) and `tests/corpus/<assignment>_correct/` (right).

nbgrader's folders (the steps of a notebook) hold one folder per assignment (`source/`, `release/`)
or one per student and assignment (`submitted/`, `autograded/`, `feedback/`); the class reports of
an assignment go to `reports/<assignment>/`.
"""

from __future__ import annotations

import functools
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

from convlab.registration import Registration
from convlab.settings import REPO_ROOT

SOURCE, RELEASE = "source", "release"
SUBMITTED, AUTOGRADED, FEEDBACK = "submitted", "autograded", "feedback"
REPORTS = "reports"
# What defines a course, below its root (what a copy of the course needs to grade).
DEFINITION = (SOURCE, RELEASE, "graders", "solutions", "nbgrader_config.py")


def notebook_file(folder: Path, notebook: str) -> Path:
    """The notebook `notebook` (a name without `.ipynb`) in `folder`."""
    return folder / f"{notebook}.ipynb"


def notebooks_in(folder: Path) -> list[Path]:
    """The notebooks of a folder, by name."""
    return sorted(folder.glob("*.ipynb"))


def beside_notebook(folder: Path) -> list[Path]:
    """What a folder holds beside its notebooks (data, helper modules), hidden files and caches left out."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix != ".ipynb" and not p.name.startswith((".", "__pycache__")))


def source_dir(assignment_id: str, root: Path = REPO_ROOT) -> Path:
    return root / SOURCE / assignment_id


def release_dir(assignment_id: str, root: Path = REPO_ROOT) -> Path:
    return root / RELEASE / assignment_id


def reports_dir(assignment_id: str, root: Path = REPO_ROOT) -> Path:
    return root / REPORTS / assignment_id


def notebooks(assignment_id: str, root: Path = REPO_ROOT) -> list[str]:
    """The names of the assignment's notebooks (one today), from its source folder."""
    return [p.stem for p in notebooks_in(source_dir(assignment_id, root))]


def student_dir(step_root: Path, student: str, assignment_id: str) -> Path:
    """`<step_root>/<student>/<assignment>`: one student's folder of an assignment under a per-student
    step (`root / SUBMITTED`, `AUTOGRADED`, `FEEDBACK`), or under a copy of one (a batch's staging
    folder, an earlier term's archive)."""
    return step_root / student / assignment_id


def submitted_dir(student: str, assignment_id: str, root: Path = REPO_ROOT) -> Path:
    return student_dir(root / SUBMITTED, student, assignment_id)


def autograded_dir(student: str, assignment_id: str, root: Path = REPO_ROOT) -> Path:
    return student_dir(root / AUTOGRADED, student, assignment_id)


def students_in(step_root: Path, assignment_id: str) -> list[str]:
    """The students with a folder of the assignment under a per-student step, by name."""
    return sorted(p.parent.name for p in step_root.glob(f"*/{assignment_id}") if p.is_dir())


@dataclass(frozen=True)
class Assignment:
    """Where everything of one assignment lives, under the course root `root`."""

    id: str
    notebook: str
    root: Path = REPO_ROOT

    @property
    def source_dir(self) -> Path:
        return source_dir(self.id, self.root)

    @property
    def source_notebook(self) -> Path:
        return notebook_file(self.source_dir, self.notebook)

    @property
    def release_dir(self) -> Path:
        return release_dir(self.id, self.root)

    @property
    def release_notebook(self) -> Path:
        return notebook_file(self.release_dir, self.notebook)

    @property
    def reports_dir(self) -> Path:
        return reports_dir(self.id, self.root)

    @property
    def solutions_module(self) -> str:
        return f"solutions.{self.notebook}"

    @property
    def graders_dir(self) -> Path:
        return self.root / "graders" / f"a{self.id}"

    @property
    def graders_package(self) -> str:
        return f"graders.a{self.id}"

    def registration(self) -> Registration:
        """What the assignment registers with the engine: `REGISTRATION` of its graders package."""
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))  # the graders import `graders` and `solutions` from there
        package = importlib.import_module(self.graders_package)
        found = getattr(package, "REGISTRATION", None)
        if not isinstance(found, Registration):
            raise TypeError(f"{self.graders_dir / '__init__.py'} must set REGISTRATION = convlab.registration."
                            "Registration(...) (an empty one when the assignment registers nothing)")
        return found

    def corpus_dir(self, correct: bool = False) -> Path:
        return self.root / "tests" / "corpus" / (self.id + ("_correct" if correct else ""))


def assignments(root: Path = REPO_ROOT) -> list[Assignment]:
    """Every assignment of the course, in order."""
    return [Assignment(p.parent.name, p.stem, root) for p in sorted(root.glob(f"{SOURCE}/*/*.ipynb"))]


@functools.cache
def _by_id(root: Path) -> dict[str, Assignment]:
    return {a.id: a for a in assignments(root)}


def assignment(assignment_id: str, root: Path = REPO_ROOT) -> Assignment:
    """The assignment `assignment_id` (e.g. "02_conv1d"); KeyError naming the known ones if none."""
    found = _by_id(root).get(assignment_id) or {a.id: a for a in assignments(root)}.get(assignment_id)
    if found is None:
        known = ", ".join(a.id for a in assignments(root))
        raise KeyError(f"no assignment {assignment_id!r} in {root / SOURCE} (known: {known})")
    return found
