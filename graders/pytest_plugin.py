"""Runs an assignment's hidden pytest graders in the grading process and collects per-case results.

Each test function `test_<check>` is one check; its parametrized cases share the check's points.
Only messages of our own failure types reach students: pytest's tracebacks quote grader source,
so they go to the instructor's log instead.
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graders.checks import CheckFailure
from graders.student import Student, StudentError

log = logging.getLogger(__name__)


@dataclass
class CaseResult:
    passed: bool
    message: str = ""


@dataclass
class CheckOutcome:
    """All cases of one check. `description` is the test's docstring (what was tested)."""

    check_id: str
    description: str = ""
    weight: float = 1.0
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return sum(c.passed for c in self.cases) / len(self.cases) if self.cases else 0.0


def check_id_of(item: pytest.Item) -> str:
    name = getattr(item, "originalname", None) or item.name.split("[")[0]
    return name.removeprefix("test_")


class CollectResults:
    """pytest plugin: provides the `student` fixture and records each case's outcome."""

    def __init__(self, student: Student | None, wanted: set[str] | None) -> None:
        self._student = student
        self.wanted = wanted
        self.outcomes: dict[str, CheckOutcome] = {}
        self.collected: dict[str, int] = defaultdict(int)
        self.internal_errors: list[str] = []

    @pytest.fixture
    def student(self) -> Student:
        if self._student is None:
            pytest.skip("collect-only run")
        return self._student

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        keep = []
        for item in items:
            cid = check_id_of(item)
            if self.wanted is None or cid in self.wanted:
                keep.append(item)
                self.collected[cid] += 1
        items[:] = keep

    def _outcome(self, item: pytest.Item) -> CheckOutcome:
        cid = check_id_of(item)
        check = self.outcomes.get(cid)
        if check is None:
            function = getattr(item, "function", None)
            doc = (function.__doc__ or "").strip() if function is not None else ""
            marker = item.get_closest_marker("weight")
            weight = float(marker.args[0]) if marker else 1.0
            check = self.outcomes[cid] = CheckOutcome(cid, " ".join(doc.split()), weight)
        return check

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> bool | None:
        """Run the case ourselves: a student's failure is a result, not a pytest failure.

        Letting pytest fail the test would format a traceback of grader source for every failed
        case, which costs tens of milliseconds each and must never be shown anyway.
        """
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        check = self._outcome(pyfuncitem)
        try:
            pyfuncitem.obj(**args)
        except (CheckFailure, StudentError) as exc:
            check.cases.append(CaseResult(False, str(exc)))
        except AssertionError as exc:
            if not str(exc):
                raise
            check.cases.append(CaseResult(False, str(exc).split("\n")[0]))
        else:
            check.cases.append(CaseResult(True))
        return True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> object:
        outcome = yield
        report = outcome.get_result()
        if report.passed or report.skipped:
            return
        # Only grader problems get here (errors in fixtures or in the grader's own code).
        message = "this case could not be graded (a grader problem, reported to the instructor)"
        self.internal_errors.append(f"{item.nodeid}: {report.longreprtext}")
        log.error("grader error in %s:\n%s", item.nodeid, report.longreprtext)
        self._outcome(item).cases.append(CaseResult(False, message))


def run_checks(
    grader_dir: Path, student: Student | None, wanted: set[str] | None
) -> CollectResults:
    """Run the grader package's tests for the wanted checks against one student."""
    plugin = CollectResults(student, wanted)
    args = [
        str(grader_dir),
        "-p", "no:terminal", "-p", "no:cacheprovider", "-p", "no:stepwise",
        "--assert=plain",  # rewritten asserts would print expected values in messages
        "--import-mode=importlib",
        "-o", "python_files=test_*.py",
        "-o", "markers=weight(w): relative weight of a check within its test cell",
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
        "--rootdir", str(grader_dir),
        "-c", "/dev/null",
    ]
    if student is None:
        args.append("--collect-only")
    # The graders import `solutions` and `graders` from the course root.
    root = str(grader_dir.parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    code = pytest.main(args, plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the graders in {grader_dir} could not run (pytest exit code {code})")
    return plugin
