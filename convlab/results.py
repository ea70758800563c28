"""What grading found, as plain data: the outcome of each check's cases, and the scored notebook.

The leaf of the engine: the runner fills `CheckOutcome`s, the engine scores them into a
`NotebookResult`, and the report, the nbgrader plugin, the batch and the dev tools read it. It
imports nothing of `convlab` at run time (the two annotations below name types of the notebook and
runtime layers for the type checker only), so every layer can import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: no import at run time
    from convlab.notebook import ManualItem
    from convlab.runtime.student import CellRun


# -- what the runner records, per check ----------------------------------------------------------


@dataclass
class CaseResult:
    passed: bool
    message: str = ""
    # PNG pictures a failure carries for the feedback (e.g. expected | got | |difference|).
    images: list[bytes] = field(default_factory=list)
    mistake_id: str = ""  # the known mistake the failure matched (CheckFailure.mistake_id)
    # (id, hint) of every known mistake that reproduces this case, and the message without a hint
    # (CheckFailure.candidates, .base): the check's named mistake is chosen over all its failures.
    candidates: tuple[tuple[str, str], ...] = ()
    base: str = ""

    @classmethod
    def of_failure(cls, exc: BaseException, images: list[bytes] | None = None) -> CaseResult:
        """The failed case a CheckFailure or StudentError ended: its message, named mistake and the
        mistakes that reproduce it (attributes a StudentError may lack)."""
        return cls(False, str(exc), images or [], getattr(exc, "mistake_id", ""),
                   tuple(getattr(exc, "candidates", ())), getattr(exc, "base", ""))


@dataclass(frozen=True)
class Reliance:
    """A check relies on a student function and the checks that grade it.

    Declared on a check with `@pytest.mark.relies_on(function, *check_ids, caller=None)`. With
    `caller`, the reliance holds only when the student's `caller` calls `function` (directly or
    through other functions of theirs), e.g. a `cnn_forward` built on the student's `avg_pool2d`.
    """

    function: str
    checks: tuple[str, ...]
    caller: str | None = None


@dataclass
class CheckOutcome:
    """All cases of one check. `description` is the test's docstring (what was tested)."""

    check_id: str
    description: str = ""
    weight: float = 1.0
    cases: list[CaseResult] = field(default_factory=list)
    relies_on: tuple[Reliance, ...] = ()

    @property
    def fraction(self) -> float:
        return sum(c.passed for c in self.cases) / len(self.cases) if self.cases else 0.0


# -- what the engine scores, per notebook --------------------------------------------------------


@dataclass
class CheckResult:
    check_id: str
    description: str
    score: float
    max_score: float
    passed_cases: int
    total_cases: int
    message: str
    images: list[bytes] = field(default_factory=list)  # PNGs of the first failure that has any
    # The known mistake named by the first failure that names one ('' if none): an id of the
    # assignment's mistakes.py, carried as data to the feedback and the class item analysis.
    mistake_id: str = ""
    # Checks this check relies on (through a student function it uses), and those of them that
    # failed: when a relied-on check failed, the message names it first.
    relies_on: list[str] = field(default_factory=list)
    blocked_by: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.total_cases > 0 and self.passed_cases == self.total_cases


@dataclass
class ItemResult:
    """One graded test cell: its score is the sum of its checks' scores."""

    grade_id: str
    max_score: float
    checks: list[CheckResult]

    @property
    def score(self) -> float:
        return round(min(self.max_score, sum(c.score for c in self.checks)), 4)


@dataclass
class NotebookResult:
    assignment: str
    notebook: str
    items: list[ItemResult]
    manual: list[ManualItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cell_runs: list[CellRun] = field(default_factory=list)
    broken: str = ""
    # Wall seconds of each phase: "kernel start", "notebook" (all cells), "checks". The check
    # session starts collecting while the kernel boots, so "checks" counts from the notebook's end.
    timings: dict[str, float] = field(default_factory=dict)
    kernel_peak_rss: int = 0  # bytes: the kernel process's peak resident memory, over restarts

    @property
    def score(self) -> float:
        return round(sum(i.score for i in self.items), 4)

    @property
    def max_score(self) -> float:
        return sum(i.max_score for i in self.items)
