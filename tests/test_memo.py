"""The graders' per-submission memo (convlab/checking/memo.py): one call per key and submission,
failures remembered with their type, message and mistake_id."""

from __future__ import annotations

import pytest

from convlab.checking.checks import CheckFailure
from convlab.checking.memo import forget, memo
from convlab.checking.pictures import with_picture
from convlab.runtime.bridge import Returned
from convlab.runtime.student import StudentError


class Submission:
    """Stands in for `student`: the memo only needs an object with a __dict__."""


class Counted:
    """A compute function that counts its calls and returns or raises what it is given."""

    def __init__(self, outcome: object) -> None:
        self.outcome, self.calls = outcome, 0

    def __call__(self) -> object:
        self.calls += 1
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def test_a_value_is_computed_once_per_key():
    student, compute = Submission(), Counted([1, 2, 3])
    assert memo(student, ("build", 1), compute) == [1, 2, 3]
    assert memo(student, ("build", 1), compute) is compute.outcome
    assert compute.calls == 1
    other = Counted("other")
    assert memo(student, ("build", 2), other) == "other", "another key computes its own value"
    assert memo(Submission(), ("build", 1), Counted("fresh")) == "fresh", "another submission has its own memo"


def test_a_check_failure_keeps_its_mistake_id_and_is_not_recomputed():
    student = Submission()
    compute = Counted(CheckFailure("the kernel is not flipped", mistake_id="no_flip"))
    raised = []
    for _ in range(3):
        with pytest.raises(CheckFailure) as caught:
            memo(student, "conv", compute)
        raised.append(caught.value)
    assert compute.calls == 1
    assert [(type(e), str(e), e.mistake_id) for e in raised] == [(CheckFailure, "the kernel is not flipped", "no_flip")] * 3
    assert raised[1] is not raised[2], "each use raises a fresh exception (no traceback piling up)"


def test_a_student_error_stays_a_student_error():
    student, compute = Submission(), Counted(StudentError("`unet` is not defined"))
    for _ in range(2):
        with pytest.raises(StudentError, match="`unet` is not defined") as caught:
            memo(student, "unet", compute)
        assert not isinstance(caught.value, CheckFailure)
    assert compute.calls == 1


def test_a_pictured_failure_is_raised_again_with_its_picture():
    failure = with_picture(CheckFailure("wrong values", mistake_id="swapped"), [[0.0, 1.0]], [[1.0, 0.0]])
    student, compute = Submission(), Counted(failure)
    for _ in range(2):
        with pytest.raises(CheckFailure) as caught:
            memo(student, "image", compute)
        assert type(caught.value) is type(failure) and caught.value.mistake_id == "swapped"
        assert caught.value.images and caught.value.images[0].startswith(b"\x89PNG")
    assert compute.calls == 1


def test_a_grader_bug_is_not_remembered():
    """Only the student's failures are part of the grade; a grader's own error propagates each time."""
    student, compute = Submission(), Counted(ZeroDivisionError("grader bug"))
    for _ in range(2):
        with pytest.raises(ZeroDivisionError):
            memo(student, "k", compute)
    assert compute.calls == 2


def test_forget_drops_what_was_remembered():
    student = Submission()
    memo(student, "k", Counted("first"))
    forget(student)
    assert memo(student, "k", Counted("second")) == "second"
    forget(Submission())  # nothing remembered yet: nothing to drop


def test_a_grader_memo_keeps_the_mistake_id_through_the_grader():
    """06's build_detector check (one of the three graders that memoise) calls the kernel once per
    case; a second check on the same case gets the same failure without a second call."""
    from graders.a06_object_detection import grade_detection

    class NotAModel(Submission):
        calls = 0

        def call(self, name, *args):
            self.calls += 1
            return Returned(None, "NoneType", [], 0.0)

    student, case = NotAModel(), grade_detection.BUILD[0]
    messages = []
    for _ in range(2):
        with pytest.raises(CheckFailure) as caught:
            grade_detection._build(student, case)
        messages.append(str(caught.value))
    assert student.calls == 1
    assert messages[0] == messages[1] == f"build_detector{case} returned a NoneType, not a Keras model"
