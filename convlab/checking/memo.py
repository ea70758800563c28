"""A per-submission memo for the graders: one expensive call serves every check and case that needs it.

Building a student's model, predicting with a trained one or probing a function the others call
takes seconds in the kernel; several checks (and every band of a check) need the same result. The
memo lives on the `student` object, so it ends with the submission. A failure is remembered too:
each later use raises a fresh exception of the same type with the same message and `mistake_id`,
so every check that depends on the call fails as the first one did, without calling again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from convlab.checking.checks import CheckFailure
from convlab.runtime.student import StudentError

T = TypeVar("T")
ATTRIBUTE = "_grader_memo"  # on the student object; `forget` drops it


@dataclass(frozen=True)
class _Failed:
    """A remembered failure (kept apart from values, which could be exceptions themselves)."""

    error: StudentError | CheckFailure

    def fresh(self) -> StudentError | CheckFailure:
        # A new object of the same type and attributes: re-raising the first one would pile up its
        # traceback. Built without __init__, because a subclass such as pictures.PicturedFailure
        # takes other arguments; __dict__ carries mistake_id and whatever the subclass keeps.
        cls = type(self.error)
        error = cls.__new__(cls, *self.error.args)
        error.__dict__.update(self.error.__dict__)
        return error


def memo(student: Any, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked for on this submission, its result afterwards.

    A StudentError or CheckFailure raised by `compute` is remembered and raised again (as a fresh
    exception, mistake_id kept) on every later call; any other exception is a grader bug and
    propagates without being remembered.
    """
    cache = student.__dict__.setdefault(ATTRIBUTE, {})
    if key not in cache:
        try:
            cache[key] = compute()
        except (StudentError, CheckFailure) as exc:
            cache[key] = _Failed(exc)
    value = cache[key]
    if isinstance(value, _Failed):
        raise value.fresh()
    return value


def forget(student: Any) -> None:
    """Drop everything remembered for `student` (a test that swaps answers in one kernel)."""
    student.__dict__.pop(ATTRIBUTE, None)
