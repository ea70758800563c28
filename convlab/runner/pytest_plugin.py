"""Runs an assignment's hidden pytest graders in the grading process and collects per-case results.

Each test function `test_<check>` is one check; its parametrized cases share the check's points.
Only messages of our own failure types reach students: pytest's tracebacks quote grader source,
so they go to the instructor's log instead.
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from convlab.checking import cases as case_lists
from convlab.checking.checks import CheckFailure
from convlab.results import CaseResult, CheckOutcome, Reliance
from convlab.runner.pytest_adapter import argnames
from convlab.runtime.student import PendingCall, Student, StudentError

log = logging.getLogger(__name__)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PICTURE_BYTES = 512 * 1024


def pictures_of(exc: BaseException) -> list[bytes]:
    """The PNG pictures a grader attached to a failure as `exc.images` (at most two, each small)."""
    images = getattr(exc, "images", None) or []
    return [b for b in images if isinstance(b, bytes) and b.startswith(PNG_SIGNATURE)
            and len(b) <= MAX_PICTURE_BYTES][:2]


MAX_PREFETCH_ROUNDS = 4


class _Deferred(BaseException):
    """Stops a case body at a call that is not answered yet (BaseException: graders may catch
    Exception)."""


class _Recorder:
    """Stands in for the `student` fixture while calls are gathered: answers what is prefetched,
    defers the rest, and passes everything else through.

    ahead: the notebook has not run yet, so nothing but the calls' arguments is known; any other
    use of the student (its source, its cells) stops the case body.
    """

    def __init__(self, student: Student, ahead: bool = False) -> None:
        self._student = student
        self._ahead = ahead
        self.pending: list[PendingCall] = []

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._answer(PendingCall(name, args, kwargs))

    def get(self, name: str) -> Any:
        return self._answer(PendingCall(name, (), {}, get=True))

    def _answer(self, pending: PendingCall) -> Any:
        student = self._student
        if student.has_answer(pending):
            return student.answer(pending)
        self.pending.append(pending)
        raise _Deferred

    def __getattr__(self, attr: str) -> Any:
        if self._ahead:
            raise _Deferred
        return getattr(self._student, attr)


def _prefetchable(item: pytest.Item) -> bool:
    """Cases whose only fixture is `student` (the rest of their arguments are parameters)."""
    if not isinstance(item, pytest.Function):
        return False
    params = item.callspec.params if hasattr(item, "callspec") else {}
    return all(name == "student" or name in params for name in argnames(item))


def _run_body(item: pytest.Function, recorder: _Recorder) -> None:
    """Run a prefetchable case's body with the recorder as its `student`; raises what it raises."""
    params = dict(item.callspec.params) if hasattr(item, "callspec") else {}
    params["student"] = recorder
    item.obj(**{name: params[name] for name in argnames(item)})


def check_id_of(item: pytest.Item) -> str:
    name = getattr(item, "originalname", None) or item.name.split("[")[0]
    return name.removeprefix("test_")


class CollectResults:
    """pytest plugin: provides the `student` fixture and records each case's outcome."""

    def __init__(self, student: Student | None, wanted: set[str] | None,
                 prepare: Callable[[], None] | None = None) -> None:
        self._student = student
        self._prepare = prepare
        # Seeds the fresh cases: the same submission always draws the same ones.
        self.seed = student.submission_seed if student is not None else 0
        # What `prepare` raised; no check ran then.
        self.prepare_error: BaseException | None = None
        self.wanted = wanted
        self.outcomes: dict[str, CheckOutcome] = {}
        self.collected: dict[str, int] = defaultdict(int)
        self.internal_errors: list[str] = []
        self._groups: dict[str, list[pytest.Function]] = defaultdict(list)
        self._prefetched_checks: set[str] = set()
        # Cases that ran to the end during prefetching: None if they passed, else what they raised.
        self._finished: dict[str, BaseException | None] = {}

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
                self._groups[cid].append(item)
        items[:] = keep

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool | None:
        """Gather the first calls of every case, let `prepare` run the notebook, then make them all
        in one kernel request.

        The gathering needs only the grading process, so it runs while the kernel is still
        booting (the engine launches it before the session and `prepare` waits for it).
        """
        if self._prepare is None or self._student is None or session.config.option.collectonly:
            return None
        recorder = _Recorder(self._student, ahead=True)
        for item in session.items:
            if not _prefetchable(item):
                continue
            try:
                _run_body(item, recorder)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # noqa: BLE001 - the graded run meets (and reports) it again
                continue
        try:
            self._prepare()
        except Exception as exc:  # noqa: BLE001 - the engine turns it into the notebook's result
            self.prepare_error = exc
            return True
        if recorder.pending:
            self._student.prefetch(recorder.pending)
        return None

    def _prefetch_check(self, check_id: str) -> None:
        """Collect the kernel calls of all cases of a check ahead, then run them in few requests.

        Each case body runs against a recorder that answers from the prefetched results and stops
        at the first call not yet made. The calls gathered that way run in one kernel request; the
        cases that stopped run again, which gathers the calls that depend on earlier results. The
        graded run afterwards is the normal one: it finds the answers ready (or makes the call
        itself), so prefetching changes speed, never outcomes. Case bodies must be deterministic
        (seeded inputs), which graders need anyway.
        """
        student = self._student
        if student is None or check_id in self._prefetched_checks:
            return
        self._prefetched_checks.add(check_id)
        todo = [item for item in self._groups[check_id] if _prefetchable(item)]
        for _ in range(MAX_PREFETCH_ROUNDS):
            recorder = _Recorder(student)
            stopped = []
            for item in todo:
                try:
                    _run_body(item, recorder)
                except _Deferred:
                    stopped.append(item)
                    continue
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as exc:  # noqa: BLE001 - the graded run reports it
                    self._finished[item.nodeid] = exc
                else:
                    self._finished[item.nodeid] = None
            if not recorder.pending or not student.prefetch(recorder.pending):
                return
            todo = stopped

    def _outcome(self, item: pytest.Item) -> CheckOutcome:
        cid = check_id_of(item)
        check = self.outcomes.get(cid)
        if check is None:
            function = getattr(item, "function", None)
            doc = (function.__doc__ or "").strip() if function is not None else ""
            marker = item.get_closest_marker("weight")
            weight = float(marker.args[0]) if marker else 1.0
            relies = tuple(Reliance(m.args[0], tuple(m.args[1:]), m.kwargs.get("caller"))
                           for m in item.iter_markers("relies_on"))
            check = self.outcomes[cid] = CheckOutcome(cid, " ".join(doc.split()), weight, relies_on=relies)
        return check

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "weight(w): relative weight of a check within its test cell")
        config.addinivalue_line("markers", "relies_on(function, *check_ids, caller=None): the check "
                                           "uses a student function that these checks grade")
        config.addinivalue_line("markers", "cases(fixed, fresh=None, argname='case', ids=None): fixed "
                                           "cases plus cases drawn per submission (convlab.checking.cases)")

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize `cases`-marked checks: fixed cases, then the submission's fresh cases."""
        marker = metafunc.definition.get_closest_marker(case_lists.CASES_MARK)
        if marker is None:
            return
        check_id = metafunc.definition.name.removeprefix("test_")
        argname, values, ids = case_lists.case_values(marker, self.seed, check_id)
        metafunc.parametrize(argname, values, ids=ids)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> bool | None:
        """Run the case ourselves: a student's failure is a result, not a pytest failure.

        Letting pytest fail the test would format a traceback of grader source for every failed
        case, which costs tens of milliseconds each and must never be shown anyway.
        """
        args = {name: pyfuncitem.funcargs[name] for name in argnames(pyfuncitem)}
        check = self._outcome(pyfuncitem)
        self._prefetch_check(check.check_id)
        try:
            if pyfuncitem.nodeid in self._finished:
                # The case already ran to its end while calls were gathered: same inputs, same
                # answers from the kernel, so the same outcome; running it again would only cost time.
                finished = self._finished.pop(pyfuncitem.nodeid)
                if finished is not None:
                    raise finished
            else:
                pyfuncitem.obj(**args)
        except (CheckFailure, StudentError) as exc:
            # Only a check's first pictured failure is shown, so only that one is drawn.
            pictured = any(c.images for c in check.cases)
            check.cases.append(CaseResult.of_failure(exc, [] if pictured else pictures_of(exc)))
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
    grader_dir: Path,
    student: Student | None,
    wanted: set[str] | None,
    prepare: Callable[[], None] | None = None,
) -> CollectResults:
    """Run the grader package's tests for the wanted checks against one student.

    prepare: called once after collection and before any check (the engine waits for the kernel
        and runs the notebook there, so that collecting overlaps the kernel's start). If it raises,
        no check runs and the exception is in `prepare_error`.
    """
    plugin = CollectResults(student, wanted, prepare)
    args = [
        str(grader_dir),
        "-p", "no:terminal", "-p", "no:cacheprovider", "-p", "no:stepwise",
        # Its gc.collect() at exit costs a quarter of a second per notebook.
        "-p", "no:unraisableexception", "-p", "no:threadexception",
        "--assert=plain",  # rewritten asserts would print expected values in messages
        "--import-mode=importlib",
        "-o", "python_files=grade_*.py",
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
