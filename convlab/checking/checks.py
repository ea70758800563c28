"""Comparisons that explain themselves: what graders use to accept or reject a student's result.

Messages give the facts `numpy.testing.assert_allclose` gives (how many elements differ, the largest
error, where) and name the likely mistake when a known wrong variant reproduces the student's
output, without ever printing a full hidden expected array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from convlab.runtime.bridge import Returned


class CheckFailure(AssertionError):
    """A case of a check failed; the message is shown to the student.

    mistake_id: the id of the known mistake (a row of the assignment's `mistakes.py`) that
        reproduces the student's output, '' when none does. It travels as data to the report,
        the feedback and the class item analysis; the message only shows the mistake's hint.
    candidates: (id, hint) of every known mistake that reproduces this case, in table order, and
    base: the message without a hint. Across the failed cases of a check, the runner names the
        mistake that reproduces the most of them (`convlab.runner.naming`), not the first case's.
    """

    def __init__(self, message: str = "", *, mistake_id: str = "", candidates: Sequence[tuple[str, str]] = (),
                 base: str | None = None) -> None:
        super().__init__(message)
        self.mistake_id = mistake_id
        self.candidates = tuple(candidates)
        self.base = message if base is None else base

    @classmethod
    def naming(cls, base: str, mistakes: Sequence[Mistake]) -> CheckFailure:
        """A failure whose message is `base` plus the hint of the first of `mistakes` that reproduce it."""
        first = mistakes[0] if mistakes else None
        return cls(base + hint_text(first), mistake_id=first.id if first else "",
                   candidates=[(m.id, m.hint) for m in mistakes], base=base)


@dataclass(frozen=True)
class Mistake:
    """A known wrong variant of a task: if the student's output equals `fn(*args)`, show `hint`."""

    id: str
    hint: str
    fn: Callable[..., Any]


MistakeRow = Mistake | tuple[str, str, Callable[..., Any]]


def mistakes_from(table: Iterable[MistakeRow]) -> list[Mistake]:
    """A mistake table as `Mistake`s: rows written as the authoring guide says, `(id, hint, fn)`, or
    `Mistake`s already. A malformed row raises TypeError when the graders load: a row that could
    never match would otherwise name no mistake, silently."""
    mistakes = []
    for position, row in enumerate(table):
        if not isinstance(row, Mistake):
            if not isinstance(row, tuple) or len(row) != 3:
                raise TypeError(f"mistake row {position}: expected (id, hint, fn), got {row!r:.120}")
            row = Mistake(*row)
        if not (isinstance(row.id, str) and row.id and isinstance(row.hint, str) and row.hint and callable(row.fn)):
            raise TypeError(f"mistake row {position} ({row.id!r}): the id and the hint must be non-empty "
                            f"strings and fn a function of the student function's arguments")
        mistakes.append(row)
    return mistakes


def hint_text(mistake: Mistake | None) -> str:
    """The sentence a message ends with when a known mistake matches ('' when none does)."""
    return f" Likely mistake: {mistake.hint}" if mistake else ""


def matching_mistakes(mistakes: Sequence[MistakeRow], args: tuple[Any, ...], kwargs: dict[str, Any] | None,
                      got: Any, same: Callable[[Any, Any], bool]) -> list[Mistake]:
    """Every known mistake whose output on the same inputs is `same` as the student's, in table order."""
    found = []
    for mistake in mistakes_from(mistakes):
        try:
            if same(got, mistake.fn(*args, **(kwargs or {}))):
                found.append(mistake)
        except Exception:  # noqa: BLE001, S112 - a wrong variant (or a malformed output) may fail here
            continue
    return found


def first_mistake(mistakes: Sequence[MistakeRow], args: tuple[Any, ...], got: Any,
                  same: Callable[[Any, Any], bool] = lambda a, b: a == b,
                  kwargs: dict[str, Any] | None = None) -> Mistake | None:
    """The first known mistake whose output on the same inputs is `same` as the student's."""
    found = matching_mistakes(mistakes, args, kwargs, got, same)
    return found[0] if found else None


def raising_mistakes(mistakes: Sequence[MistakeRow], args: tuple[Any, ...], kwargs: dict[str, Any] | None,
                     exc_type: str) -> list[Mistake]:
    """Every known mistake that raises an exception of the class named `exc_type` on the same inputs, in
    table order: what names the mistake of a student's function that raised where the reference returns."""
    def outcome(fn: Callable[..., Any]) -> Callable[..., str]:
        def run(*a: Any, **k: Any) -> str:
            try:
                fn(*a, **k)
            except Exception as exc:  # noqa: BLE001 - what the variant raises is its result here
                return type(exc).__name__
            return ""
        return run
    raising = [Mistake(m.id, m.hint, outcome(m.fn)) for m in mistakes_from(mistakes)]
    return matching_mistakes(raising, args, kwargs, exc_type, lambda got, wrong: got == wrong)


def same_result(got: Any, wrong: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether a student's result equals a wrong variant's: arrays and numbers within tolerance (NaN
    equals NaN), sequences part by part, anything else by ==."""
    if isinstance(got, (list, tuple)) and isinstance(wrong, (list, tuple)) and not _numeric_sequence(got):
        return len(got) == len(wrong) and all(same_result(g, w, rtol, atol) for g, w in zip(got, wrong, strict=True))
    if isinstance(got, (bool, str)) or got is None or isinstance(wrong, (bool, str)) or wrong is None:
        return type(got) is type(wrong) and got == wrong
    try:
        a, b = np.asarray(got, dtype=float), np.asarray(wrong, dtype=float)
    except (TypeError, ValueError):
        return bool(got == wrong)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _numeric_sequence(value: list | tuple) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _fmt_num(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.6g}"
    return repr(v.item() if isinstance(v, np.generic) else v)


def _same(a: np.ndarray, b: np.ndarray, rtol: float, atol: float, equal_nan: bool = False) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def array_mistakes(
    got: np.ndarray, mistakes: Sequence[MistakeRow], args: tuple[Any, ...], kwargs: dict[str, Any],
    rtol: float, atol: float, equal_nan: bool = False,
) -> list[Mistake]:
    """Every known mistake whose output on the same inputs equals the student's array, in table order.

    NaN matches NaN here whatever `equal_nan` says of the expected array: a mistake that gives NaN
    exactly where the student's answer does (0 / 0 for an empty union) is the mistake they made.
    """
    del equal_nan  # kept in the signature: callers pass the check's rule, which matching does not need
    def same(a: np.ndarray, wrong: Any) -> bool:
        wrong = np.asarray(wrong, dtype=float)
        return wrong.shape == a.shape and _same(a, wrong, rtol, atol, True)
    return matching_mistakes(mistakes, args, kwargs, got, same)


def matching_mistake(
    got: np.ndarray, mistakes: Sequence[MistakeRow], args: tuple[Any, ...], kwargs: dict[str, Any],
    rtol: float, atol: float,
) -> Mistake | None:
    """The first known mistake whose output on the same inputs equals the student's array."""
    found = array_mistakes(got, mistakes, args, kwargs, rtol, atol)
    return found[0] if found else None


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
    mistakes: Sequence[MistakeRow] = (),
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    require_ndarray: bool = False,
    require_float: bool = False,
    equal_nan: bool = False,
) -> None:
    """Fail with a diagnosis unless the student's array equals `expected` within tolerance.

    call: how the call is described to the student (inputs described, never printed in full).
    mistakes/args/kwargs: known wrong variants and the inputs to replay them on.
    equal_nan: NaN in `expected` marks an undefined value (a class absent from both label maps):
        the student's NaN must be exactly there, and is right there.
    """
    kwargs = kwargs or {}
    if require_ndarray and returned.type_name != "numpy.ndarray":
        raise CheckFailure(f"{call} returned a {returned.type_name}; return a numpy ndarray")
    got = as_numeric_array(returned, call)
    expected = np.asarray(expected, dtype=float)
    got_f = got.astype(float)
    if require_float and got.dtype.kind != "f":
        # The dtype is wrong whatever the values; the values still tell which mistake made it so.
        raise CheckFailure.naming(
            f"{call} returned dtype {got.dtype}; return floats (e.g. build the output with "
            "np.zeros(n, dtype=float), not np.zeros_like of an int input).",
            [] if _same(got_f, expected, rtol, atol, equal_nan)  # right values: no mistake explains them
            else array_mistakes(got_f, mistakes, args, kwargs, rtol, atol, equal_nan))
    if _same(got_f, expected, rtol, atol, equal_nan):
        return
    found = array_mistakes(got_f, mistakes, args, kwargs, rtol, atol, equal_nan)
    if got.shape != expected.shape:
        raise CheckFailure.naming(f"{call}: shape mismatch, expected {expected.shape}, got {got.shape}.", found)
    if equal_nan:
        _expect_nan_where_undefined(got_f, expected, call, found)
        expected, got_f = np.where(np.isnan(expected), 0.0, expected), np.where(np.isnan(expected), 0.0, got_f)
    bad_nan = ~np.isfinite(got_f) & np.isfinite(expected)
    if bad_nan.any():
        where = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        kind = "NaN" if np.isnan(got_f[where]) else "inf"
        raise CheckFailure.naming(
            f"{call}: the result contains {kind} (first at index {_fmt_index(where)}), "
            f"{int(bad_nan.sum())} non-finite value(s) in all.", found)
    err = np.abs(got_f - expected)
    tol = atol + rtol * np.abs(expected)
    wrong = err > tol
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    raise CheckFailure.naming(
        f"{call}: {int(wrong.sum())} of {wrong.size} values differ; first at index "
        f"{_fmt_index(first)}: expected {_fmt_num(expected[first])}, got {_fmt_num(got_f[first])}; "
        f"max abs error {float(err.max()):.3g} (tolerance {atol:g} + {rtol:g}·|expected|).", found)


def _expect_nan_where_undefined(got: np.ndarray, expected: np.ndarray, call: str, found: list[Mistake]) -> None:
    """(equal_nan) Fail when the student has a number where NaN (undefined) is expected."""
    number = np.isnan(expected) & ~np.isnan(got)
    if number.any():
        where = tuple(int(i) for i in np.argwhere(number)[0])
        raise CheckFailure.naming(
            f"{call}: expected NaN (undefined) at index {_fmt_index(where)}, got {_fmt_num(got[where])}; "
            f"{int(number.sum())} value(s) should be NaN in all.", found)


def expect_int(returned: Returned, expected: int, *, call: str, mistakes: Sequence[MistakeRow] = (),
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
    raise CheckFailure.naming(f"{call}: expected {expected}, got {value}.",
                              matching_mistakes(mistakes, args, kwargs, value, lambda a, b: a == b))


def expect_float(returned: Returned, expected: float, *, call: str, mistakes: Sequence[MistakeRow] = (),
                 args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None, rtol: float = 1e-6,
                 atol: float = 1e-9) -> None:
    """Fail unless the student returned a number within `atol + rtol·|expected|` of `expected`; NaN
    is right exactly where NaN is expected (e.g. a ratio of two zeros the notebook defines as NaN)."""
    value = returned.value
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckFailure(f"{call} returned a {returned.type_name}; return a float")
    value = float(value)
    if np.isnan(expected) or np.isnan(value):
        if np.isnan(expected) and np.isnan(value):
            return
    elif abs(value - expected) <= atol + rtol * abs(expected):
        return
    same = lambda a, b: same_result(a, float(b), rtol, atol)  # noqa: E731 - one use, read in place
    raise CheckFailure.naming(f"{call}: expected {expected:.6g}, got {value:.6g}.",
                              matching_mistakes(mistakes, args, kwargs, value, same))
