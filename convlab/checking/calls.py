"""One-call checks: call the student's function, compare with the reference, name the mistake.

An assignment's graders make one `Checker` from its reference module, its mistake table and its
seed, then each case of a check is one line:

    CHECK = Checker(reference=solutions.conv1d, mistakes=MISTAKES, seed=20260204)

    @cases(CONV_CASES, fresh=lambda rng: signal_pairs(rng, 4))
    def test_conv1d_modes(student, case):
        x, w, mode = case
        CHECK.expect_call(student, "conv1d", x, w, mode=mode)

`expect_call` runs `student.call(name, *args, **kwargs)`, runs the reference function of the same
name on the same arguments, and compares with the comparison the reference's result calls for:

| the reference returns     | the student must                                               |
|---------------------------|----------------------------------------------------------------|
| an ndarray                | return numbers of that shape, equal within `rtol`/`atol`       |
| a float                   | return a number equal within tolerance (NaN exactly where NaN) |
| an int                    | return exactly that int (not a float, not a bool)              |
| a bool / str / None       | return exactly that                                            |
| a tuple                   | return as many parts, each compared by these rules             |
| (raises `SomeError`)      | raise `SomeError` (an exception of that class name)            |

On a failure, every row of the function's mistake table is replayed on the same inputs, and the
message ends with the hint of the row that reproduces the student's result. The call is described
from the reference's parameter names and the arguments' types and shapes, never their values.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from convlab.checking.cases import rng_for
from convlab.checking.checks import (
    CheckFailure,
    Mistake,
    MistakeRow,
    expect_array,
    expect_float,
    expect_int,
    matching_mistakes,
    mistakes_from,
    same_result,
)
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError

# Keyword arguments `expect_call` keeps for itself; a reference parameter with one of these names
# could not be passed through, so `expect_call` refuses it instead of guessing.
OPTIONS = frozenset({"expected", "describe", "rtol", "atol", "picture", "require_ndarray", "require_float",
                     "equal_nan", "parts"})
Picture = Callable[..., CheckFailure]  # (failure, expected, got, *, title) -> failure, e.g. pictures.with_signals


class _Unset:
    def __repr__(self) -> str:
        return "<computed from the reference>"


UNSET: Any = _Unset()


class Raises:
    """An expected result that is an exception: the student's function must raise `exc_type`."""

    def __init__(self, exc_type: type[BaseException]) -> None:
        self.exc_type = exc_type

    def __repr__(self) -> str:
        return f"Raises({self.exc_type.__name__})"


def describe_value(value: Any) -> str:
    """A value as a student may see it in a hidden case: its type and size, never its contents."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"{value.dtype} scalar"
        return f"{value.dtype} array of shape {value.shape}"
    if isinstance(value, (bool, int, np.integer, str)) or value is None:
        return repr(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, (list, tuple)):
        noun = "list" if isinstance(value, list) else "tuple"
        if not value:
            return f"an empty {noun}"
        kinds = sorted({type(v).__name__ for v in value})
        return f"a {noun} of {len(value)} {'/'.join(kinds)}s"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: ..." for k in value) + "}"
    described = getattr(value, "describe", None)
    return described() if callable(described) else type(value).__name__


def describe_call(name: str, reference: Callable[..., Any] | None, args: tuple[Any, ...],
                  kwargs: Mapping[str, Any]) -> str:
    """'conv1d(x: float64 array of shape (5,), w: a list of 3 ints, mode='same')'."""
    named: list[tuple[str, Any]] = [(f"arg{i}", a) for i, a in enumerate(args)]
    if reference is not None:
        try:
            bound = inspect.signature(reference).bind(*args, **kwargs)
        except TypeError:
            bound = None
        if bound is not None:
            return f"{name}(" + ", ".join(f"{k}={describe_value(v)}" if k in kwargs else
                                          f"{k}: {describe_value(v)}" for k, v in bound.arguments.items()) + ")"
    named += list(kwargs.items())
    return f"{name}(" + ", ".join(f"{k}: {describe_value(v)}" for k, v in named) + ")"


def _raises(function: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any], exc_type: str) -> bool:
    try:
        function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - which exception a wrong variant raises is the point
        return type(exc).__name__ == exc_type
    return False


def _reference_result(function: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the reference raising is the expected result
        return Raises(type(exc))


class Checker:
    """What the checks of one assignment share: the reference module, the mistakes, the seed.

    reference: the assignment's solutions module; `expect_call(student, name, ...)` compares with
        `reference.<name>`.
    mistakes: {function name: rows (id, hint, fn)}, the assignment's `MISTAKES`; every row is
        validated here, when the graders load (a malformed row raises TypeError).
    seed: the seed of the fixed cases (`rng(name)`).
    """

    def __init__(self, *, reference: ModuleType, mistakes: Mapping[str, Iterable[MistakeRow]] | None = None,
                 seed: int) -> None:
        self.reference = reference
        self.mistakes: dict[str, list[Mistake]] = {
            name: mistakes_from(rows) for name, rows in (mistakes or {}).items()}
        self.seed = seed

    def rng(self, source: str | np.random.Generator) -> np.random.Generator:
        """The fixed cases' generator for a case-list name; a submission's generator passes through."""
        return rng_for(self.seed, source)

    def mistakes_of(self, name: str) -> list[Mistake]:
        return self.mistakes.get(name, [])

    def reference_of(self, name: str) -> Callable[..., Any]:
        function = getattr(self.reference, name.split(".")[-1], None)
        if not callable(function):
            raise AttributeError(f"{self.reference.__name__} has no function {name!r} to compare with")
        return function

    def expect_call(self, student: Any, name: str, *args: Any, expected: Any = UNSET, describe: str | None = None,
                    rtol: float = 1e-6, atol: float = 1e-9, picture: Picture | None = None,
                    require_ndarray: bool = False, require_float: bool = False, equal_nan: bool = False,
                    parts: Sequence[str] | None = None, **kwargs: Any) -> Returned | None:
        """Call the student's `name(*args, **kwargs)` and fail with a diagnosis unless it matches.

        expected: the expected result when it is not `reference.<name>(*args, **kwargs)` (an analytic
            value, or `Raises(ValueError)`).
        describe: the call as shown to the student, when the default description does not fit.
        picture: draws the expected and the student's arrays beside the message
            (`pictures.with_signals`, `with_picture`, ...).
        equal_nan: NaN in an expected array marks an undefined value the student must return as NaN.
        parts: names of the parts of a tuple result, for the messages ('boxes', 'scores', ...).
        Returns what the student returned (None when the student was right to raise).
        """
        expected, reference = self._expected(name, expected, args, kwargs)
        call = describe or describe_call(name, reference, args, kwargs)
        if isinstance(expected, Raises):
            return _expect_raises(student, name, args, kwargs, expected, call, self.mistakes_of(name))
        return self.expect_returned(self.call_naming_raises(student, name, *args, **kwargs), name, *args,
                                    expected=expected,
                                    describe=call, rtol=rtol, atol=atol, picture=picture,
                                    require_ndarray=require_ndarray, require_float=require_float,
                                    equal_nan=equal_nan, parts=parts, **kwargs)

    def call_naming_raises(self, student: Any, name: str, *args: Any, **kwargs: Any) -> Returned:
        """`student.call`, where a student function that raises names the mistakes that raise the same
        exception on the same inputs (a layout mistake that only runs on square inputs crashes on
        the others: those crashes count for it when the check's mistake is named)."""
        try:
            return student.call(name, *args, **kwargs)
        except StudentError as exc:
            if exc.kind == "raised":
                found = [m for m in self.mistakes_of(name) if _raises(m.fn, args, kwargs, exc.exc_type)]
                exc.candidates, exc.base = tuple((m.id, m.hint) for m in found), str(exc)
            raise

    def expect_returned(self, got: Returned, name: str, *args: Any, expected: Any = UNSET,
                        describe: str | None = None, rtol: float = 1e-6, atol: float = 1e-9,
                        picture: Picture | None = None, require_ndarray: bool = False,
                        require_float: bool = False, equal_nan: bool = False, parts: Sequence[str] | None = None,
                        **kwargs: Any) -> Returned:
        """`expect_call` on what the student's `name(*args, **kwargs)` already returned (`got`), for a
        check that looks at the result itself first (a leak between two index sets, a non-finite
        loss) and then wants the standard comparison, mistakes included."""
        expected, reference = self._expected(name, expected, args, kwargs)
        call = describe or describe_call(name, reference, args, kwargs)
        rows = self.mistakes_of(name)
        if isinstance(expected, Raises):
            raise CheckFailure.naming(f"{call} should raise {expected.exc_type.__name__}, but it returned a "
                                      f"{got.type_name}.", matching_mistakes(rows, args, dict(kwargs), got.value,
                                                                            same_result))
        try:
            compare(got, expected, call=call, rows=rows, args=args, kwargs=kwargs, rtol=rtol, atol=atol,
                    require_ndarray=require_ndarray, require_float=require_float, equal_nan=equal_nan,
                    parts=parts)
        except CheckFailure as failure:
            if picture is not None and isinstance(expected, np.ndarray):
                raise picture(failure, expected, got.value, title=call) from None
            raise
        return got

    def _expected(self, name: str, expected: Any, args: tuple[Any, ...],
                  kwargs: Mapping[str, Any]) -> tuple[Any, Callable[..., Any] | None]:
        """(the expected result, the reference function when it was computed from it)."""
        if expected is not UNSET:
            return expected, None
        reference = self.reference_of(name)
        clash = OPTIONS & set(inspect.signature(reference).parameters)
        if clash:
            raise TypeError(f"{name} has parameters {sorted(clash)}, which expect_call keeps for its "
                            "options: call student.call and the expect_* helpers instead")
        return _reference_result(reference, args, kwargs), reference


def compare(got: Returned, expected: Any, *, call: str, rows: list[Mistake], args: tuple[Any, ...],
            kwargs: Mapping[str, Any], rtol: float, atol: float, require_ndarray: bool = False,
            require_float: bool = False, equal_nan: bool = False, parts: Sequence[str] | None = None) -> None:
    """The comparison `expected`'s type calls for (see the module's table), mistakes included."""
    kwargs = dict(kwargs)
    if isinstance(expected, np.ndarray):
        expect_array(got, expected, call=call, rtol=rtol, atol=atol, mistakes=rows, args=args, kwargs=kwargs,
                     require_ndarray=require_ndarray, require_float=require_float, equal_nan=equal_nan)
    elif isinstance(expected, (bool, np.bool_, str)) or expected is None:
        _expect_exact(got, expected, call=call, rows=rows, args=args, kwargs=kwargs)
    elif isinstance(expected, (int, np.integer)):
        expect_int(got, int(expected), call=call, mistakes=rows, args=args, kwargs=kwargs)
    elif isinstance(expected, (float, np.floating)):
        expect_float(got, float(expected), call=call, mistakes=rows, args=args, kwargs=kwargs, rtol=rtol, atol=atol)
    elif isinstance(expected, tuple):
        _expect_parts(got, expected, call=call, rows=rows, args=args, kwargs=kwargs, rtol=rtol, atol=atol,
                      equal_nan=equal_nan, parts=parts)
    else:
        raise TypeError(f"expect_call cannot compare a {type(expected).__name__}: pass a comparison of your own")


def _expect_exact(got: Returned, expected: Any, *, call: str, rows: list[Mistake], args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> None:
    value = got.value
    if type(value) is type(expected) or (isinstance(expected, np.bool_) and isinstance(value, bool)):
        if value == expected:
            return
    raise CheckFailure.naming(f"{call}: expected {expected!r}, got {_short(value, got.type_name)}.",
                              matching_mistakes(rows, args, kwargs, value, same_result))


def _expect_parts(got: Returned, expected: tuple[Any, ...], *, call: str, rows: list[Mistake],
                  args: tuple[Any, ...], kwargs: dict[str, Any], rtol: float, atol: float, equal_nan: bool = False,
                  parts: Sequence[str] | None = None) -> None:
    value = got.value
    if not isinstance(value, (list, tuple)) or len(value) != len(expected):
        size = f"{len(value)} values" if isinstance(value, (list, tuple)) else f"a {got.type_name}"
        raise CheckFailure(f"{call}: expected {len(expected)} values (a tuple), got {size}")
    failures = []
    for i, (part, want) in enumerate(zip(value, expected, strict=True)):
        try:
            compare(Returned(part, type(part).__name__, []), want, call=f"{call}: {parts[i]}" if parts else f"{call}[{i}]",
                    rows=[], args=args, kwargs=kwargs, rtol=rtol, atol=atol, equal_nan=equal_nan)
        except CheckFailure as failure:
            failures.append(str(failure))
    if failures:
        raise CheckFailure.naming(failures[0], matching_mistakes(rows, args, kwargs, list(value), same_result))


def _expect_raises(student: Any, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any],
                   expected: Raises, call: str, rows: list[Mistake]) -> None:
    wanted = expected.exc_type.__name__
    try:
        got = student.call(name, *args, **kwargs)
    except StudentError as exc:
        if exc.raised(wanted):
            return None
        if exc.kind == "raised":
            raise CheckFailure(f"{call} should raise {wanted}; {exc}") from None
        raise
    raise CheckFailure.naming(f"{call} should raise {wanted}, but it returned a {got.type_name}.",
                              matching_mistakes(rows, tuple(args), dict(kwargs), got.value, same_result))


def _short(value: Any, type_name: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"a {type_name}"
