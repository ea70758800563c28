"""Banned libraries: which forbidden names a student's function uses, found in its code and in the
calls recorded while it ran.

A table maps a rule's label to the names that break it: `{"np.convolve": ("convolve",)}`. A name
breaks a rule when it is a part of a dotted name in the code (`np.convolve`, `from scipy import
signal`), or a part of the module path or the function name of a recorded call.

The engine has no table of its own: each assignment registers the tables its checks use
(`REGISTRATION.banned` in `graders/a<assignment>/__init__.py`), and the kernel records calls only for
their names. So a check that reads the recorded calls of a student call (`Returned.library_calls`)
with a table its assignment did not register is an `UnregisteredTable` error, not a silent pass;
without a table, such a check uses the one table its assignment registers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from convlab.checking.checks import CheckFailure, expect_array
from convlab.checking.code_reading import dotted_chains, reachable, referenced_names
from convlab.registration import BannedTable
from convlab.runtime.bridge import RecordedCalls, Returned


class UnregisteredTable(LookupError):
    """A grader asked for recorded calls of names its assignment's registration does not watch (a
    grader bug: the kernel recorded none of them), or for no table where none or several are registered."""


def _table(banned: BannedTable | None, library_calls: Iterable[str]) -> BannedTable:
    """The table to read: `banned`, checked against the registration the recorded calls carry; or,
    without one, the one table the assignment registered."""
    registration = library_calls.registration if isinstance(library_calls, RecordedCalls) else None
    if banned is None:
        if registration is None or len(registration.banned) != 1:
            registered = "no table is known" if registration is None else f"{len(registration.banned)} are registered"
            raise UnregisteredTable(f"pass the banned table to read (the engine has none of its own; {registered})")
        return registration.banned[0]
    if registration is not None:
        unwatched = sorted({word for words in banned.values() for word in words} - registration.watched_words)
        if unwatched:
            raise UnregisteredTable(
                f"the banned table {sorted(banned)} reads recorded calls of {unwatched}, which the assignment "
                "does not register, so the kernel never records them: add the table to REGISTRATION.banned "
                "in graders/a<assignment>/__init__.py")
    return banned


def recorded_label(recorded: str, banned: BannedTable) -> str | None:
    """The first rule of `banned` a recorded call breaks, or None.

    The kernel records a call as the library's module path up to its first watched part
    ("scipy.signal", "tensorflow"), or, when no part is watched, as the library's top module and
    the function's name ("numpy.convolve").
    """
    parts = recorded.split(".")
    return next((label for label, words in banned.items() if any(part in words for part in parts)), None)


def banned_library_use(
    functions: dict[str, ast.FunctionDef], name: str, library_calls: Iterable[str] = (),
    banned: BannedTable | None = None,
) -> list[str]:
    """Which banned libraries `name` (or a student function it calls) uses.

    Static: names referenced by the function and, transitively, by the student's own functions it
    calls. Dynamic: `library_calls` recorded in the kernel while the function ran.
    """
    banned = _table(banned, library_calls)
    found = {label for recorded in library_calls if (label := recorded_label(recorded, banned))}
    for current in reachable(functions, name):
        names, qualified = referenced_names(functions[current])
        for label, words in banned.items():
            # `np.convolve` is banned; a bare `convolve` only when it is not the student's own helper.
            if any(w in qualified or (w in names and w not in functions) for w in words):
                found.add(label)
    return sorted(found)


@dataclass(frozen=True)
class BannedUse:
    """One use of a banned library: what the student wrote, where, and the rule's label."""

    label: str  # the key of the banned table, e.g. "np.convolve" or "scipy.signal"
    written: str  # as written in the code, e.g. "np.convolve" or "signal.convolve2d"
    function: str  # the student function whose code holds it
    line: int | None  # line within that function (1 = its `def` line); None for recorded calls

    def describe(self) -> str:
        """'signal.convolve2d (scipy.signal, line 3 of conv2d)'."""
        facts = [] if self.written.startswith(self.label) else [self.label]
        if self.line:
            facts.append(f"line {self.line} of {self.function}")
        return self.written + (f" ({', '.join(facts)})" if facts else "")


def banned_calls(
    functions: dict[str, ast.FunctionDef], name: str, library_calls: Iterable[str] = (),
    banned: BannedTable | None = None,
) -> list[BannedUse]:
    """Exactly which banned names `name` (or a student function it calls) uses, as written.

    Static: each dotted name in the code whose parts hit the banned table (a bare name only when it
    is not the student's own function). Recorded calls (`library_calls`, from the kernel's profiler)
    count only when the code shows none: a library calls its own internals (np.convolve calls
    np.correlate), so recorded names would blame the student for calls they never wrote.
    """
    banned = _table(banned, library_calls)
    found: list[BannedUse] = []
    for current in reachable(functions, name):
        fn = functions[current]
        for text, line in dotted_chains(fn):
            parts = text.replace("from ", "").replace(" import ", ".").replace("import ", "").split(".")
            if len(parts) == 1 and parts[0] in functions:
                continue  # the student's own helper, even if it is called `convolve`
            for label, words in banned.items():
                if any(p in words for p in parts):
                    found.append(BannedUse(label, text, current, line - fn.lineno + 1))
                    break
    if found:
        return found
    for recorded in sorted(set(library_calls)):
        if (label := recorded_label(recorded, banned)) is not None:
            found.append(BannedUse(label, f"{recorded} (called while {name} ran)", name, None))
    return found


def banned_use_message(name: str, uses: Sequence[BannedUse], rule: str) -> str:
    """'conv1d calls np.convolve (line 4 of conv1d), which this task asks you not to use (rule)'."""
    shown = ", ".join(dict.fromkeys(u.describe() for u in uses[:3]))
    more = f" and {len(uses) - 3} more" if len(uses) > 3 else ""
    return f"{name} uses {shown}{more}, which this task asks you not to use ({rule})"


def expect_without_library(functions: dict[str, ast.FunctionDef], name: str, returned: Returned,
                           expected: np.ndarray, *, call: str, rule: str,
                           banned: BannedTable | None = None, **tolerance: float) -> None:
    """A "no library" check: fail on a forbidden call, named as written; on a wrong value, say so
    without blaming a library (the value checks diagnose it).

    rule: what the task forbids, e.g. "no np.convolve, np.correlate, scipy.signal or TensorFlow".
    """
    uses = banned_calls(functions, name, returned.library_calls, banned)
    if uses:
        raise CheckFailure(banned_use_message(name, uses, rule) + ": write the loops yourself.",
                           mistake_id=f"banned_call:{uses[0].label}")
    try:
        expect_array(returned, expected, call=call, **tolerance)
    except CheckFailure:
        raise CheckFailure(f"{name} calls no forbidden library, but its result is wrong: this check counts "
                           f"only for a correct {name} (its value checks show what differs).") from None
