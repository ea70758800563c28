"""The one-call check API (`convlab.checking.calls`): each comparison accepts right answers written
differently, rejects wrong ones with the facts and the named mistake, and refuses what it cannot
do instead of guessing."""

from __future__ import annotations

import types

import numpy as np
import pytest
from support.inprocess_student import InProcessStudent

from convlab.checking.calls import Checker, Raises, describe_call
from convlab.checking.checks import CheckFailure
from convlab.runtime.student import StudentError

REFERENCE_CODE = '''
import numpy as np

def scale(x, factor=2.0):
    return np.asarray(x, dtype=float) * factor

def mean_of(x):
    x = np.asarray(x, dtype=float)
    return float("nan") if x.size == 0 else float(x.mean())

def count_positive(x):
    return int(np.sum(np.asarray(x) > 0))

def is_square(shape):
    return shape[0] == shape[1]

def split(x):
    x = np.asarray(x, dtype=float)
    return x[x < 0], x[x >= 0]

def checked_sqrt(v):
    if v < 0:
        raise ValueError("negative")
    return float(np.sqrt(v))

def bad_options(x, rtol):
    return x
'''

reference = types.ModuleType("reference_for_calls")
exec(compile(REFERENCE_CODE, "<reference>", "exec"), reference.__dict__)  # noqa: S102 - our own text
reference.__source__ = REFERENCE_CODE

MISTAKES = {
    "scale": [("factor_ignored", "The factor argument is ignored.", lambda x, factor=2.0: np.asarray(x, float))],
    "mean_of": [("sum_not_mean", "You return the sum, not the mean.",
                 lambda x: float(np.sum(np.asarray(x, dtype=float))))],
    "count_positive": [("counts_zero", "Zero is counted as positive.", lambda x: int(np.sum(np.asarray(x) >= 0)))],
    "checked_sqrt": [("abs_first", "A negative input is made positive instead of refused.",
                      lambda v: float(np.sqrt(abs(v))))],
}
CHECK = Checker(reference=reference, mistakes=MISTAKES, seed=1)


class _Student(InProcessStudent):
    def __init__(self, code: str) -> None:
        self.source = REFERENCE_CODE + "\n\n" + code
        self.namespace = {}
        exec(compile(self.source, "<student>", "exec"), self.namespace)  # noqa: S102 - our own corpus


def _failure(code: str, name: str, *args, **kwargs) -> CheckFailure:
    with pytest.raises(CheckFailure) as info:
        CHECK.expect_call(_Student(code), name, *args, **kwargs)
    return info.value


def test_right_answers_written_differently_pass():
    student = _Student('''
def scale(x, factor=2.0):
    return np.array([v * factor for v in x], dtype=np.float32)
def mean_of(x):
    return np.nan if len(x) == 0 else sum(x) / len(x)
def count_positive(x):
    return np.int64(len([v for v in x if v > 0]))
def split(x):
    x = np.asarray(x, dtype=float)
    return [x[x < 0].tolist(), x[x >= 0]]
def checked_sqrt(v):
    assert v >= 0 or (_ for _ in ()).throw(ValueError("no"))
    return v ** 0.5
''')
    CHECK.expect_call(student, "scale", [1.0, -2.5, 3.0], factor=0.5, rtol=1e-6)
    CHECK.expect_call(student, "mean_of", [1.0, 2.0, 4.0])
    CHECK.expect_call(student, "mean_of", [])
    CHECK.expect_call(student, "count_positive", [0, 3, -1, 2])
    CHECK.expect_call(student, "is_square", (3, 3))
    CHECK.expect_call(student, "split", [1.0, -2.0, 0.0])
    CHECK.expect_call(student, "checked_sqrt", 2.25)
    CHECK.expect_call(student, "checked_sqrt", -1.0)


def test_array_mismatch_names_the_mistake():
    failure = _failure("def scale(x, factor=2.0):\n    return np.asarray(x, float)", "scale", np.arange(4.0), factor=3.0)
    assert failure.mistake_id == "factor_ignored"
    assert "factor argument is ignored" in str(failure)
    assert "scale(x: float64 array of shape (4,), factor=3)" in str(failure)


def test_float_nan_rules():
    nan_instead = _failure("def mean_of(x):\n    return float('nan')", "mean_of", [1.0, 2.0])
    assert "expected 1.5, got nan" in str(nan_instead)
    zero_for_empty = _failure("def mean_of(x):\n    return 0.0 if len(x) == 0 else float(np.mean(x))", "mean_of", [])
    assert "expected nan, got 0" in str(zero_for_empty)
    summed = _failure("def mean_of(x):\n    return float(np.sum(x))", "mean_of", [1.0, 2.0, 6.0])
    assert summed.mistake_id == "sum_not_mean"


def test_int_is_exact_and_typed():
    as_float = _failure("def count_positive(x):\n    return float(sum(v > 0 for v in x))", "count_positive", [1, 2])
    assert "return an int" in str(as_float)
    zero = _failure("def count_positive(x):\n    return int(sum(v >= 0 for v in x))", "count_positive", [0, 1])
    assert zero.mistake_id == "counts_zero"


def test_bool_is_not_a_number():
    failure = _failure("def is_square(shape):\n    return int(shape[0] == shape[1])", "is_square", (2, 2))
    assert "expected True, got 1" in str(failure)


def test_tuple_parts_compared_one_by_one():
    swapped = _failure("def split(x):\n    x = np.asarray(x, float)\n    return x[x >= 0], x[x < 0]",
                       "split", [1.0, -2.0, 3.0])
    assert "split(x: a list of 3 floats)[0]" in str(swapped)
    one_part = _failure("def split(x):\n    return np.asarray(x)", "split", [1.0, -2.0])
    assert "expected 2 values" in str(one_part)


def test_raises_is_expected_when_the_reference_raises():
    returned = _failure("def checked_sqrt(v):\n    return float(np.sqrt(abs(v)))", "checked_sqrt", -4.0)
    assert "should raise ValueError" in str(returned) and returned.mistake_id == "abs_first"
    wrong_error = _failure("def checked_sqrt(v):\n    raise TypeError('no')", "checked_sqrt", -4.0)
    assert "should raise ValueError" in str(wrong_error) and "TypeError" in str(wrong_error)
    with pytest.raises(CheckFailure, match="should raise ValueError"):
        CHECK.expect_call(_Student(""), "checked_sqrt", 4.0, expected=Raises(ValueError))


def test_expected_override_and_description_override():
    student = _Student("")
    CHECK.expect_call(student, "scale", [1.0], expected=np.array([2.0]))
    with pytest.raises(CheckFailure, match=r"^scale of one sample: 1 of 1 values differ"):
        CHECK.expect_call(student, "scale", [1.0], expected=np.array([5.0]), describe="scale of one sample")


def test_a_parameter_named_like_an_option_is_refused():
    with pytest.raises(TypeError, match="rtol"):
        CHECK.expect_call(_Student(""), "bad_options", 1.0, 1e-3)


def test_malformed_mistake_row_fails_when_the_graders_load():
    with pytest.raises(TypeError, match="mistake row 0"):
        Checker(reference=reference, mistakes={"scale": [("id", "hint")]}, seed=1)


def test_describe_call_never_prints_values():
    text = describe_call("f", reference.scale, (np.array([[123.456]]),), {"factor": 7})
    assert "123" not in text and "float64 array of shape (1, 1)" in text


NAN_CODE = '''
def per_class(x):
    x = np.asarray(x, dtype=float)
    return np.array([x[x == c].size / x.size if (x == c).any() else np.nan for c in range(3)])
'''
reference.per_class = lambda x: np.array(  # classes absent from x are undefined: NaN
    [np.mean(np.asarray(x) == c) if (np.asarray(x) == c).any() else np.nan for c in range(3)])


def test_equal_nan_accepts_nan_where_nan_is_expected_and_only_there():
    CHECK.expect_call(_Student(NAN_CODE), "per_class", [0, 0, 1], equal_nan=True)
    zero_for_absent = "def per_class(x):\n    return np.array([np.mean(np.asarray(x) == c) for c in range(3)])"
    with pytest.raises(CheckFailure):
        CHECK.expect_call(_Student(zero_for_absent), "per_class", [0, 0, 1], equal_nan=True)


def test_parts_name_the_part_that_differs():
    swapped = "def split(x):\n    x = np.asarray(x, float)\n    return x[x >= 0], x[x < 0]"
    failure = _failure(swapped, "split", [1.0, -2.0, 3.0], parts=("negatives", "the rest"))
    assert "split(x: a list of 3 floats): negatives" in str(failure)


def test_expect_returned_compares_a_result_already_fetched():
    student = _Student("def count_positive(x):\n    return int(sum(v >= 0 for v in x))")
    got = student.call("count_positive", [0, 1])
    with pytest.raises(CheckFailure) as info:
        CHECK.expect_returned(got, "count_positive", [0, 1])
    assert info.value.mistake_id == "counts_zero"


def test_a_raising_student_names_the_rows_that_raise_the_same_way():
    rows = {"scale": [("indexes_past_the_end", "x[i + 1] reads past the end.",
                       lambda x, factor=2.0: [x[i + 1] for i in range(len(x))])]}
    check = Checker(reference=reference, mistakes=rows, seed=1)
    student = _Student("def scale(x, factor=2.0):\n    return np.array([x[i + 1] * factor for i in range(len(x))])")
    with pytest.raises(StudentError) as info:
        check.expect_call(student, "scale", [1.0, 2.0])
    assert [c[0] for c in info.value.candidates] == ["indexes_past_the_end"]
