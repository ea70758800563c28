"""Comparisons that explain themselves: what graders use to accept or reject a student's result.

Messages give the facts `numpy.testing.assert_allclose` gives (how many elements differ, the largest
error, where) and name the likely mistake when a known wrong variant reproduces the student's
output, without ever printing a full hidden expected array.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from convlab.runtime.bridge import Returned


class CheckFailure(AssertionError):
    """A case of a check failed; the message is shown to the student.

    mistake_id: the id of the known mistake (a row of the assignment's `mistakes.py`) that
        reproduces the student's output, '' when none does. It travels as data to the report,
        the feedback and the class item analysis; the message only shows the mistake's hint.
    """

    def __init__(self, message: str = "", *, mistake_id: str = "") -> None:
        super().__init__(message)
        self.mistake_id = mistake_id


@dataclass(frozen=True)
class Mistake:
    """A known wrong variant of a task: if the student's output equals `fn(*args)`, show `hint`."""

    id: str
    hint: str
    fn: Callable[..., Any]


def mistakes_from(table: Iterable[tuple[str, str, Callable[..., Any]]]) -> list[Mistake]:
    return [Mistake(*row) for row in table]


def hint_text(mistake: Mistake | None) -> str:
    """The sentence a message ends with when a known mistake matches ('' when none does)."""
    return f" Likely mistake: {mistake.hint}" if mistake else ""


def first_mistake(mistakes: Sequence[Mistake], args: tuple[Any, ...], got: Any,
                  same: Callable[[Any, Any], bool] = lambda a, b: a == b,
                  kwargs: dict[str, Any] | None = None) -> Mistake | None:
    """The first known mistake whose output on the same inputs is `same` as the student's."""
    for mistake in mistakes:
        try:
            if same(got, mistake.fn(*args, **(kwargs or {}))):
                return mistake
        except Exception:  # noqa: BLE001, S112 - a wrong variant (or a malformed output) may fail here
            continue
    return None


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _fmt_num(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.6g}"
    return repr(v.item() if isinstance(v, np.generic) else v)


def _same(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def matching_mistake(
    got: np.ndarray, mistakes: Sequence[Mistake], args: tuple[Any, ...], kwargs: dict[str, Any],
    rtol: float, atol: float,
) -> Mistake | None:
    """The first known mistake whose output on the same inputs equals the student's."""
    for mistake in mistakes:
        try:
            wrong = np.asarray(mistake.fn(*args, **kwargs), dtype=float)
        except Exception:  # noqa: BLE001 - a wrong variant may itself fail on some inputs
            continue
        if wrong.shape == got.shape and _same(got, wrong, rtol, atol):
            return mistake
    return None


def as_numeric_array(returned: Returned, call: str) -> np.ndarray:
    value = returned.value
    if value is None:
        raise CheckFailure(f"{call} returned None: did you forget `return`?")
    if isinstance(value, str):
        raise CheckFailure(f"{call} returned a string, expected numbers")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        raise CheckFailure(f"{call} returned a ragged {returned.type_name}, expected an array") from None
    if arr.dtype.kind not in "biuf":
        raise CheckFailure(f"{call} returned {returned.type_name} of {arr.dtype}, expected numbers")
    return arr


def expect_array(
    returned: Returned,
    expected: np.ndarray,
    *,
    call: str,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Sequence[Mistake] = (),
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    require_ndarray: bool = False,
    require_float: bool = False,
) -> None:
    """Fail with a diagnosis unless the student's array equals `expected` within tolerance.

    call: how the call is described to the student (inputs described, never printed in full).
    mistakes/args/kwargs: known wrong variants and the inputs to replay them on.
    """
    kwargs = kwargs or {}
    if require_ndarray and returned.type_name != "numpy.ndarray":
        raise CheckFailure(f"{call} returned a {returned.type_name}; return a numpy ndarray")
    got = as_numeric_array(returned, call)
    if require_float and got.dtype.kind != "f":
        raise CheckFailure(
            f"{call} returned dtype {got.dtype}; return floats (e.g. build the output with "
            "np.zeros(n, dtype=float), not np.zeros_like of an int input)"
        )
    expected = np.asarray(expected, dtype=float)
    got_f = got.astype(float)
    if _same(got_f, expected, rtol, atol):
        return
    mistake = matching_mistake(got_f, mistakes, args, kwargs, rtol, atol)
    hint = hint_text(mistake)
    mistake_id = mistake.id if mistake else ""
    if got.shape != expected.shape:
        raise CheckFailure(
            f"{call}: shape mismatch, expected {expected.shape}, got {got.shape}.{hint}",
            mistake_id=mistake_id,
        )
    bad_nan = ~np.isfinite(got_f) & np.isfinite(expected)
    if bad_nan.any():
        where = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        kind = "NaN" if np.isnan(got_f[where]) else "inf"
        raise CheckFailure(
            f"{call}: the result contains {kind} (first at index {_fmt_index(where)}), "
            f"{int(bad_nan.sum())} non-finite value(s) in all.{hint}", mistake_id=mistake_id,
        )
    err = np.abs(got_f - expected)
    tol = atol + rtol * np.abs(expected)
    wrong = err > tol
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    raise CheckFailure(
        f"{call}: {int(wrong.sum())} of {wrong.size} values differ; first at index "
        f"{_fmt_index(first)}: expected {_fmt_num(expected[first])}, got {_fmt_num(got_f[first])}; "
        f"max abs error {float(err.max()):.3g} (tolerance {atol:g} + {rtol:g}·|expected|).{hint}",
        mistake_id=mistake_id,
    )


def expect_int(returned: Returned, expected: int, *, call: str, mistakes: Sequence[Mistake] = (),
               args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> None:
    """Fail unless the student returned exactly the integer `expected` (bool is not an int)."""
    value = returned.value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.ndarray)):
        raise CheckFailure(f"{call} returned a {returned.type_name}; return an int")
    if isinstance(value, np.ndarray):
        if value.shape != () or value.dtype.kind not in "iu":
            raise CheckFailure(f"{call} returned a {returned.type_name}; return an int")
        value = int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CheckFailure(f"{call} returned {value:g}, not a whole number; return an int")
        raise CheckFailure(f"{call} returned the float {value:g}; return an int (use // or int())")
    if value == expected:
        return
    mistake = first_mistake(mistakes, args, value, kwargs=kwargs)
    raise CheckFailure(f"{call}: expected {expected}, got {value}.{hint_text(mistake)}",
                       mistake_id=mistake.id if mistake else "")


# -- banned library calls -------------------------------------------------------------------------

BANNED_CONVOLUTION = {
    "np.convolve": ("convolve",),
    "np.correlate": ("correlate",),
    "scipy.signal": ("signal", "convolve2d", "correlate2d", "fftconvolve", "oaconvolve",
                     "lfilter", "filtfilt"),
    "scipy.ndimage": ("ndimage", "convolve1d", "correlate1d"),
    "TensorFlow/Keras": ("tf", "tensorflow", "keras", "torch", "jax"),
}


def _referenced_names(fn: ast.AST) -> tuple[set[str], set[str]]:
    """(bare names, attribute and imported names) a function's code refers to."""
    names: set[str] = set()
    qualified: set[str] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            qualified.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module:
                qualified.update(node.module.split("."))
            for alias in node.names:
                qualified.update(alias.name.split("."))
    return names, qualified


def banned_library_use(
    functions: dict[str, ast.FunctionDef], name: str, library_calls: Iterable[str] = (),
    banned: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Which banned libraries `name` (or a student function it calls) uses.

    Static: names referenced by the function and, transitively, by the student's own functions it
    calls. Dynamic: `library_calls` recorded in the kernel while the function ran.
    """
    banned = banned or BANNED_CONVOLUTION
    found: set[str] = set()
    for recorded in library_calls:
        for label, words in banned.items():
            if recorded.split(".")[-1] in words or recorded.split(".")[0] in words:
                found.add(label)
    for current in _reachable(functions, name):
        names, qualified = _referenced_names(functions[current])
        for label, words in banned.items():
            # `np.convolve` is banned; a bare `convolve` only when it is not the student's own helper.
            if any(w in qualified or (w in names and w not in functions) for w in words):
                found.add(label)
    return sorted(found)


def _reachable(functions: dict[str, ast.FunctionDef], name: str) -> Iterator[str]:
    """`name` and every student function it refers to, directly or through others."""
    todo, done = [name], set()
    while todo:
        current = todo.pop()
        if current in done or current not in functions:
            continue
        done.add(current)
        yield current
        names, _ = _referenced_names(functions[current])
        todo.extend(n for n in names if n in functions)


def calls_function(functions: dict[str, ast.FunctionDef], caller: str, function: str) -> bool:
    """Whether the student's `caller` refers to their `function`, directly or through their other
    functions (a static reading of the code: the names each function's body uses)."""
    return any(function in _referenced_names(functions[current])[0]
               for current in _reachable(functions, caller) if current != function)


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


def _dotted_chains(fn: ast.AST) -> list[tuple[str, int]]:
    """(dotted name, line) of every maximal name chain in a function: `np.convolve`, `signal`, ..."""
    inner: set[int] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    chains = []
    for node in ast.walk(fn):
        if isinstance(node, (ast.Attribute, ast.Name)) and id(node) not in inner:
            try:
                text = ast.unparse(node)
            except Exception:  # noqa: BLE001 - odd nodes are not name chains
                continue
            chains.append((text, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module:
            chains.extend((f"from {node.module} import {a.name}", node.lineno) for a in node.names)
        elif isinstance(node, ast.Import):
            chains.extend((f"import {a.name}", node.lineno) for a in node.names)
    return chains


def banned_calls(
    functions: dict[str, ast.FunctionDef], name: str, library_calls: Iterable[str] = (),
    banned: dict[str, tuple[str, ...]] | None = None,
) -> list[BannedUse]:
    """Exactly which banned names `name` (or a student function it calls) uses, as written.

    Static: each dotted name in the code whose parts hit the banned table (a bare name only when it
    is not the student's own function). Recorded calls (`library_calls`, from the kernel's profiler)
    count only when the code shows none: a library calls its own internals (np.convolve calls
    np.correlate), so recorded names would blame the student for calls they never wrote.
    """
    banned = banned or BANNED_CONVOLUTION
    found: list[BannedUse] = []
    for current in _reachable(functions, name):
        fn = functions[current]
        for text, line in _dotted_chains(fn):
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
        for label, words in banned.items():
            if recorded.split(".")[-1] in words or recorded.split(".")[0] in words:
                found.append(BannedUse(label, f"{recorded} (called while {name} ran)", name, None))
                break
    return found


def banned_use_message(name: str, uses: Sequence[BannedUse], rule: str) -> str:
    """'conv1d calls np.convolve (line 4 of conv1d), which this task asks you not to use (rule)'."""
    shown = ", ".join(dict.fromkeys(u.describe() for u in uses[:3]))
    more = f" and {len(uses) - 3} more" if len(uses) > 3 else ""
    return f"{name} uses {shown}{more}, which this task asks you not to use ({rule})"


def expect_without_library(functions: dict[str, ast.FunctionDef], name: str, returned: Returned,
                           expected: np.ndarray, *, call: str, rule: str,
                           banned: dict[str, tuple[str, ...]] | None = None, **tolerance: float) -> None:
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
