"""The one name mapping of the course: an assignment id to its notebook, solutions, graders and corpus.

Every folder of `source/` is an assignment (`02_conv1d`) holding one notebook (`conv1d.ipynb`); its
reference functions are `solutions/<notebook>.py`, its hidden graders `graders/a<assignment>/`
(a Python package name cannot start with a digit), and its corpus of typical answers
`tests/corpus/<assignment>/` (wrong) and `tests/corpus/<assignment>_correct/` (right).
"""

from __future__ import annotations

import functools
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

from convlab.registration import Registration
from convlab.settings import REPO_ROOT


@dataclass(frozen=True)
class Assignment:
    """Where everything of one assignment lives, under the course root `root`."""

    id: str
    notebook: str
    root: Path = REPO_ROOT

    @property
    def source_notebook(self) -> Path:
        return self.root / "source" / self.id / f"{self.notebook}.ipynb"

    @property
    def release_dir(self) -> Path:
        return self.root / "release" / self.id

    @property
    def solutions_module(self) -> str:
        return f"solutions.{self.notebook}"

    @property
    def solutions_file(self) -> Path:
        return self.root / "solutions" / f"{self.notebook}.py"

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
    return [Assignment(p.parent.name, p.stem, root) for p in sorted(root.glob("source/*/*.ipynb"))]


@functools.cache
def _by_id(root: Path) -> dict[str, Assignment]:
    return {a.id: a for a in assignments(root)}


def assignment(assignment_id: str, root: Path = REPO_ROOT) -> Assignment:
    """The assignment `assignment_id` (e.g. "02_conv1d"); KeyError naming the known ones if none."""
    found = _by_id(root).get(assignment_id) or {a.id: a for a in assignments(root)}.get(assignment_id)
    if found is None:
        known = ", ".join(a.id for a in assignments(root))
        raise KeyError(f"no assignment {assignment_id!r} in {root / 'source'} (known: {known})")
    return found
