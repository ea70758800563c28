"""The `student` object graders use: run the notebook's cells, then call its functions.

Faults stay local. A cell that crashes or hangs the kernel is skipped on replay; a function that
hangs is not called again; a function that kills the kernel gets a fresh kernel with the notebook
re-run, so later checks are graded as if nothing happened.
"""

from __future__ import annotations

import ast
import functools
import itertools
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from convlab.notebook import StudentCell
from convlab.registration import Registration
from convlab.runtime.bridge import (
    KERNEL_BOOTSTRAP,
    BridgeError,
    CallOutcome,
    RecordedCalls,
    Returned,
    call_key,
    chown_for_kernel,
    clear_call,
    read_result,
    write_call,
)
from convlab.runtime.kernel import ExecResult, KernelDied, StudentKernel
from convlab.runtime.outputs import readable_error
from convlab.runtime.seed import submission_seed

log = logging.getLogger(__name__)


# Share of the call time limit during which a batched request may start calls.
BATCH_START_SHARE = 0.1


class StudentError(AssertionError):
    """The student's code failed in a way the student can fix; the message says how.

    Graders branch on the data, never on the message's words:
    function: the student's function or variable the grader asked for ('' when not about one).
    kind: what went wrong, one of KINDS.
    exc_type, exc_message: for kind "raised", the class name and the message of the exception the
        function raised (a library's words, e.g. Keras's, are the only text a grader may look into).
    """

    KINDS = ("raised", "not_implemented", "missing", "not_callable", "timeout", "died", "not_data",
             "unreadable", "not_called_again", "other")

    def __init__(self, message: str, *, function: str = "", kind: str = "other", exc_type: str = "",
                 exc_message: str = "") -> None:
        if kind not in self.KINDS:
            raise ValueError(f"unknown StudentError kind {kind!r}; one of {self.KINDS}")
        super().__init__(message)
        self.function, self.kind, self.exc_type, self.exc_message = function, kind, exc_type, exc_message

    def raised(self, *exc_types: str) -> bool:
        """Whether the student's function raised an exception of one of these class names."""
        return self.kind == "raised" and self.exc_type in exc_types


@dataclass
class CellRun:
    cell: StudentCell
    result: ExecResult


@dataclass
class Student:
    """One submission running in its kernel. Graders call `student.call(name, *args)`."""

    kernel: StudentKernel
    cells: list[StudentCell]
    registration: Registration = field(default_factory=Registration)
    runs: list[CellRun] = field(default_factory=list)
    skipped_cells: set[int] = field(default_factory=set)
    broken_functions: dict[str, str] = field(default_factory=dict)
    _counter: itertools.count = field(default_factory=itertools.count)
    _prefetched: dict[str, Outcome] = field(default_factory=dict)
    _functions: tuple[tuple[str, ...], dict[str, ast.FunctionDef]] | None = None

    # -- running the notebook ------------------------------------------------------------------

    def run_notebook(self) -> None:
        """Run every student cell once, recording outputs; skip cells that kill or hang the kernel."""
        for cell in self.cells:
            result = self._run_cell(cell)
            self.runs.append(CellRun(cell, result))
            if result.status == "died" or result.restarted:
                self.skipped_cells.add(cell.index)
                self._recover(replay_upto=cell.index)
            elif result.status == "timeout":
                self.skipped_cells.add(cell.index)
        self._bootstrap()

    def _run_cell(self, cell: StudentCell) -> ExecResult:
        return self.kernel.execute(cell.source, timeout=self.kernel.settings.cell_timeout)

    def _bootstrap(self) -> None:
        code = KERNEL_BOOTSTRAP + "\n" + self.registration.kernel_code()
        result = self.kernel.execute(code, timeout=30, keep_outputs=False)
        if not result.ok:
            raise KernelDied(f"the grading bridge could not be installed: {result.error}")

    def _recover(self, replay_upto: int | None = None) -> None:
        """Fresh kernel, then replay the cells that ran (up to a position) and the bridge."""
        self.kernel.restart()
        for run in self.runs:
            cell = run.cell
            if replay_upto is not None and cell.index >= replay_upto:
                break
            if cell.index in self.skipped_cells:
                continue
            result = self._run_cell(cell)
            if result.status == "died":
                # Not deterministic (e.g. memory pressure): skip it from now on and go on.
                self.skipped_cells.add(cell.index)
                self.kernel.restart()
        if replay_upto is None:
            self._bootstrap()

    # -- what graders use ----------------------------------------------------------------------

    @property
    def submission_seed(self) -> int:
        """A seed from the submitted code cells: the fresh hidden cases are drawn from it."""
        return submission_seed(cell.source for cell in self.cells)

    @property
    def source(self) -> str:
        """All code the student ran (for static checks such as banned library calls)."""
        return "\n\n".join(c.source for c in self.cells if c.index not in self.skipped_cells)

    def defined_functions(self) -> dict[str, ast.FunctionDef]:
        """Top-level functions the student's cells define (last definition wins).

        Parsed once per set of cell sources: graders ask for every case of every static check.
        Callers get a fresh dict, so they may modify it.
        """
        sources = tuple(cell.source for cell in self.cells)
        if self._functions is None or self._functions[0] != sources:
            found: dict[str, ast.FunctionDef] = {}
            for cell in self.cells:
                try:
                    tree = ast.parse(_without_magics(cell.source))
                except SyntaxError:
                    continue
                for node in tree.body:
                    if isinstance(node, ast.FunctionDef):
                        found[node.name] = node
            self._functions = (sources, found)
        return dict(self._functions[1])

    def call(self, name: str, *args: Any, **kwargs: Any) -> Returned:
        """Call the student's function `name` in the kernel and return its result as plain data.

        `name` may be dotted to call a method of a notebook variable (`"model.predict"`).
        `Returned.seconds` is the call's wall time measured inside the kernel.
        Raises StudentError (a failed case, with a message for the student) when the function is
        missing, raises, hangs, crashes the kernel, or returns something that is not data.
        """
        return self._roundtrip(name, args, kwargs, get=False)

    def get(self, name: str) -> Returned:
        """The value of the notebook variable `name` (dotted for an attribute), as plain data.

        Keras models and histories arrive as dicts (see `Returned`). Raises StudentError when the
        variable is missing or is not data.
        """
        return self._roundtrip(name, (), {}, get=True)

    def _roundtrip(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool,
                   key: str | None = None) -> Returned:
        key = key or call_key(name, args, kwargs, get)
        if key in self._prefetched:
            return self._interpret(name, self._prefetched[key], get)
        if name in self.broken_functions:
            raise StudentError(f"`{name}` was not called again: {self.broken_functions[name]}", function=name,
                               kind="not_called_again")
        call_dir = self._new_call_dir(name, args, kwargs, get)
        try:
            code = f"__convlab_call__({name!r}, {str(call_dir)!r})"
            result = self.kernel.execute(code, timeout=self.kernel.settings.call_timeout,
                                         keep_outputs=False, cpu_budget=self.kernel.settings.call_cpu_seconds)
            if result.status == "timeout":
                outcome: Outcome = _Stopped("timeout", result.error)
                if result.restarted:
                    self._recover()
            elif result.status == "died":
                outcome = _Stopped("died")
                self._recover()
            else:
                outcome = _read(call_dir)
        finally:
            clear_call(call_dir)
        return self._interpret(name, outcome, get)

    def is_cached(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool = False) -> bool:
        return call_key(name, args, kwargs, get) in self._prefetched

    def has_answer(self, pending: PendingCall) -> bool:
        """Whether `answer(pending)` needs no kernel request."""
        return pending.key in self._prefetched or pending.name in self.broken_functions

    def answer(self, pending: PendingCall) -> Returned:
        """`call` or `get` for a call described ahead (its key is computed only once)."""
        return self._roundtrip(pending.name, pending.args, pending.kwargs, pending.get, pending.key)

    def prefetch(self, calls: list[PendingCall]) -> bool:
        """Run several calls in one kernel request and keep their outcomes for `call` and `get`.

        One request instead of one per call is what makes grading cost close to running the
        notebook. Faults keep their single-call meaning: a call that used the whole time budget or
        killed the kernel is recorded as such; calls stopped early by another's fault are not
        cached and run alone later. Returns whether a request was made (two calls or more).
        """
        todo: dict[str, PendingCall] = {}
        for pending in calls:
            if pending.key not in self._prefetched and pending.name not in self.broken_functions:
                todo.setdefault(pending.key, pending)
        if len(todo) < 2:
            return False
        jobs = [(p, self._new_call_dir(p.name, p.args, p.kwargs, p.get)) for p in todo.values()]
        timeout = self.kernel.settings.call_timeout
        # Calls start only in the request's first tenth, so a call stopped by the time limit had
        # at least nine tenths of a single call's budget: it counts as a call that did not finish.
        budget = BATCH_START_SHARE * timeout
        try:
            code = f"__convlab_call_many__({[(p.name, str(d)) for p, d in jobs]!r}, {budget!r})"
            result = self.kernel.execute(code, timeout=timeout, keep_outputs=False,
                                         cpu_budget=self.kernel.settings.call_cpu_seconds)
            for pending, call_dir in jobs:
                if (call_dir / "result.json").exists():
                    self._prefetched[pending.key] = _read(call_dir)
                    continue
                # The first call without a result was running when the request stopped, or the
                # budget ran out before it started (then it runs in a later request).
                if (call_dir / "started").exists():
                    if result.status == "died":
                        self._prefetched[pending.key] = _Stopped("died")
                    elif result.status == "timeout":
                        self._prefetched[pending.key] = _Stopped("timeout", result.error)
                break
            if result.status == "died" or result.restarted:
                self._recover()
        finally:
            for _, call_dir in jobs:
                clear_call(call_dir)
        return True

    def _new_call_dir(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], get: bool) -> Path:
        call_dir = self.kernel.calls_dir / f"c{next(self._counter):05d}"
        write_call(call_dir, args, kwargs, get=get)
        if self.kernel.owner is not None:
            chown_for_kernel(call_dir, *self.kernel.owner)
        return call_dir

    def _interpret(self, name: str, outcome: Outcome, get: bool) -> Returned:
        """The call's result, or StudentError with a message the student can act on."""
        if isinstance(outcome, _Stopped):
            if outcome.kind == "timeout":
                reason = f"it did not finish ({outcome.detail}); is there an infinite loop?"
                self.broken_functions.setdefault(name, reason)
                raise StudentError(f"`{name}` {reason}", function=name, kind="timeout")
            reason = "it made the kernel die (os._exit, a crash, or too much memory)"
            self.broken_functions.setdefault(name, reason)
            raise StudentError(f"`{name}`: {reason}", function=name, kind="died")
        if isinstance(outcome, BridgeError):
            if get:
                raise StudentError(f"`{name}` is not data the grader can read ({outcome})", function=name,
                                   kind="not_data")
            raise StudentError(f"`{name}` {outcome}", function=name, kind="unreadable")
        if outcome.status == "missing":
            raise StudentError(f"`{name}` is not defined: keep its cell, run it, and check the spelling",
                               function=name, kind="missing")
        if outcome.status == "unsupported" and get:
            raise StudentError(f"`{name}` is not data the grader can read ({outcome.error})", function=name,
                               kind="not_data")
        if outcome.status == "not_callable":
            raise StudentError(f"`{name}` is a {outcome.error}, not a function", function=name, kind="not_callable")
        if outcome.status == "error" and outcome.exc_type == "NotImplementedError":
            raise StudentError(f"`{name}` is not implemented yet (it still raises NotImplementedError)",
                               function=name, kind="not_implemented")
        if outcome.status == "error":
            where = f" ({outcome.where})" if outcome.where else ""
            raise StudentError(f"`{name}` raised {readable_error(outcome.error)}{where}", function=name, kind="raised",
                               exc_type=outcome.exc_type, exc_message=outcome.exc_message)
        if outcome.status == "unsupported":
            raise StudentError(f"`{name}` returned something that is not data ({outcome.error})", function=name,
                               kind="not_data")
        assert outcome.returned is not None
        # The calls it made, as recorded under this assignment's registration (what was watched).
        return replace(outcome.returned, library_calls=RecordedCalls(outcome.returned.library_calls, self.registration))


@dataclass(frozen=True)
class PendingCall:
    """A call a grader will make, collected ahead so that many run in one kernel request."""

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    get: bool = False

    @functools.cached_property
    def key(self) -> str:
        return call_key(self.name, self.args, self.kwargs, self.get)


@dataclass(frozen=True)
class _Stopped:
    """The call was stopped: it hung ("timeout") or the kernel died while it ran ("died")."""

    kind: str
    detail: str = ""


Outcome = CallOutcome | BridgeError | _Stopped


def _read(call_dir: Path) -> CallOutcome | BridgeError:
    try:
        return read_result(call_dir)
    except BridgeError as exc:
        return exc


def _without_magics(source: str) -> str:
    """IPython magics and shell escapes are not Python; blank them so `ast` can parse the rest."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
