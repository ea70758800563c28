"""The bridge against a real kernel: dicts, dotted methods, variables, kernel-side timing, Keras
models and histories crossing as data, and many calls in one request with single-call meaning."""

from __future__ import annotations

import numpy as np
import pytest

from convlab.checking.banned import recorded_label
from convlab.notebook import StudentCell
from convlab.registration import KERAS, Registration
from convlab.runtime.kernel import StudentKernel
from convlab.runtime.student import PendingCall, Student, StudentError
from convlab.settings import SandboxSettings

CELLS = '''
import time
import numpy as np

def stats(x):
    return {"mean": float(np.mean(x)), "shape": np.shape(x), "nested": {"ok": [1, 2]}}

class Scaler:
    def __init__(self, k):
        self.k = k
    def apply(self, x):
        return np.asarray(x) * self.k

scaler = Scaler(3)
answer = 42

def slow():
    time.sleep(0.2)
    return 1

class Opaque:
    pass

opaque = Opaque()

def picky(x):
    if x < 0:
        raise ValueError("x must be >= 0, got a negative x: raised ValueError")
    raise NotImplementedError()
'''


@pytest.fixture(scope="module")
def student():
    with StudentKernel() as kernel:
        s = Student(kernel, [StudentCell(0, CELLS)])
        s.run_notebook()
        yield s


def test_dicts_and_tuples_cross_as_plain_data(student):
    returned = student.call("stats", [1.0, 2.0, 3.0])
    assert returned.value == {"mean": 2.0, "shape": [3], "nested": {"ok": [1, 2]}}
    assert returned.type_name == "dict"


def test_dotted_names_call_methods_of_notebook_variables(student):
    assert student.call("scaler.apply", [1, 2]).value.tolist() == [3, 6]
    with pytest.raises(StudentError, match="not defined"):
        student.call("scaler.missing", [1])


def test_get_fetches_variables_and_refuses_objects(student):
    assert student.get("answer").value == 42
    assert student.get("scaler.k").value == 3
    with pytest.raises(StudentError, match="not data"):
        student.get("opaque")


def test_a_failure_is_data_graders_branch_on_not_text(student):
    with pytest.raises(StudentError) as raised:
        student.call("picky", -1)
    assert (raised.value.function, raised.value.kind, raised.value.exc_type) == ("picky", "raised", "ValueError")
    assert raised.value.raised("ValueError") and not raised.value.raised("TypeError")
    assert raised.value.exc_message.startswith("x must be >= 0")
    with pytest.raises(StudentError) as unfinished:
        student.call("picky", 1)
    assert unfinished.value.kind == "not_implemented" and not unfinished.value.raised("ValueError")
    with pytest.raises(StudentError) as missing:
        student.call("no_such_function")
    assert missing.value.kind == "missing"


def test_seconds_are_measured_in_the_kernel(student):
    returned = student.call("slow")
    assert returned.seconds is not None and 0.19 < returned.seconds < 2.0


@pytest.mark.slow
def test_keras_model_and_history_cross_as_dicts():
    code = '''
import numpy as np
import keras
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(2, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(np.zeros((8, 6, 6, 1)), np.zeros(8, int), epochs=2, verbose=0)
'''
    with StudentKernel() as kernel:
        s = Student(kernel, [StudentCell(0, code)], Registration(kernel_extensions=(KERAS,)))
        s.run_notebook()
        model = s.get("model").value
        history = s.get("history").value
        probs = s.call("model.predict", np.zeros((2, 6, 6, 1)), verbose=0).value
    assert [layer["class"] for layer in model["layers"]] == ["Conv2D", "Flatten", "Dense"]
    assert model["layers"][0]["output_shape"] == [None, 4, 4, 2]
    assert model["layers"][0]["params"] == 2 * 9 + 2 and model["layers"][0]["activation"] == "relu"
    assert model["count_params"] == 20 + 33 * 3 - 3 + 3 and model["compiled"] is True
    assert model["input_shape"] == [None, 6, 6, 1] and '"Conv2D"' in model["json"]
    assert len(history["history"]["loss"]) == 2 and history["epoch"] == [0, 1]
    assert probs.shape == (2, 3)


# -- what an assignment registers: wire arguments, and the libraries watched while a call runs ----

WATCHED_CELLS = '''
import importlib
import numpy as np

def convolve(x, w):  # the student's own helper, named like the library function
    return np.array([sum(x[i + j] * w[len(w) - 1 - j] for j in range(len(w))) for i in range(len(x) - len(w) + 1)])

def hidden_numpy(x, w):
    return getattr(np, "con" + "volve")(x, w, "valid")

def hidden_scipy(x, w):
    return importlib.import_module("scipy." + "sig" + "nal").convolve(x, w, "valid")

def own(x, w):
    return convolve(x, w)

def apply(f, t):
    return f(t)
'''


def test_registered_names_are_recorded_while_a_call_runs_and_functions_cross_as_data():
    from graders import BANNED_CONVOLUTION, CALLABLES
    from graders.callables import FunctionSpec

    x, w = np.arange(6.0), np.array([1.0, 2.0])
    registration = Registration(kernel_extensions=(CALLABLES,), banned=(BANNED_CONVOLUTION,))
    with StudentKernel() as kernel:
        s = Student(kernel, [StudentCell(0, WATCHED_CELLS)], registration)
        s.run_notebook()
        calls = {name: s.call(name, x, w).library_calls for name in ("hidden_numpy", "hidden_scipy", "own")}
        spec = FunctionSpec("gaussian", {"mu": 0.5, "sigma": 0.7})
        t = np.linspace(-2, 3, 11)
        applied = s.call("apply", spec, t).value
        unwatched = Student(kernel, s.cells)  # registers nothing: nothing is recorded
        unwatched._bootstrap()
        quiet = unwatched.call("hidden_numpy", x, w).library_calls
    assert "numpy.convolve" in calls["hidden_numpy"]
    assert "scipy.signal" in calls["hidden_scipy"]
    assert calls["own"] == []  # the student's own `convolve` is theirs
    assert calls["own"].registration is registration  # what was watched comes with what was recorded
    assert recorded_label("scipy.signal", BANNED_CONVOLUTION) == "scipy.signal"
    assert recorded_label("numpy.convolve", BANNED_CONVOLUTION) == "np.convolve"
    np.testing.assert_array_equal(applied, spec(t))
    assert quiet == []


# -- many calls in one request (prefetch) keep the meaning of single calls ------------------------

BATCH_CELLS = '''
import os
import time
import numpy as np

def slow_id(n):
    time.sleep(0.15)
    return n

def double(x):
    return np.asarray(x) * 2

def loop_on_three(n):
    while n == 3:
        pass
    return n

def interrupts(n):
    if n == 1:
        raise KeyboardInterrupt("pressed by the student")
    return n

def dies(n):
    if n == 1:
        os._exit(3)
    return n
'''


@pytest.fixture
def batch_student():
    with StudentKernel(SandboxSettings(call_timeout=2.0)) as kernel:
        s = Student(kernel, [StudentCell(0, BATCH_CELLS)])
        s.run_notebook()
        yield s


def test_prefetched_answers_equal_single_calls(batch_student):
    calls = [PendingCall("double", (np.arange(n),), {}) for n in range(1, 6)]
    assert batch_student.prefetch(calls)
    assert all(batch_student.is_cached(c.name, c.args, c.kwargs) for c in calls)
    batched = [batch_student.call("double", np.arange(n)) for n in range(1, 6)]
    fresh = Student(batch_student.kernel, batch_student.cells)
    fresh._bootstrap()
    single = [fresh.call("double", np.arange(n)) for n in range(1, 6)]
    for a, b in zip(batched, single, strict=True):
        np.testing.assert_array_equal(a.value, b.value)
        assert (a.type_name, a.library_calls) == (b.type_name, b.library_calls)


def test_a_batch_starts_no_call_after_its_budget(batch_student):
    # call_timeout 2 s: calls may start during the first 0.2 s of a request only.
    calls = [PendingCall("slow_id", (n,), {}) for n in range(6)]
    assert batch_student.prefetch(calls)
    cached = [batch_student.is_cached(c.name, c.args, c.kwargs) for c in calls]
    assert cached[0] and not all(cached), cached
    # The calls left out are made later, and none counts as a call that did not finish.
    assert [batch_student.call("slow_id", n).value for n in range(6)] == list(range(6))
    assert not batch_student.broken_functions


def test_a_hanging_call_in_a_batch_is_reported_and_the_rest_kept(batch_student):
    assert batch_student.prefetch([PendingCall("loop_on_three", (n,), {}) for n in (1, 2, 3, 4)])
    assert batch_student.call("loop_on_three", 1).value == 1
    with pytest.raises(StudentError, match="infinite loop"):
        batch_student.call("loop_on_three", 3)
    with pytest.raises(StudentError, match="not called again"):
        batch_student.call("loop_on_three", 4)
    assert batch_student.call("double", [1]).value.tolist() == [2]


def test_a_students_keyboard_interrupt_is_their_error_not_a_stop(batch_student):
    assert batch_student.prefetch([PendingCall("interrupts", (n,), {}) for n in (0, 1, 2)])
    assert batch_student.call("interrupts", 0).value == 0
    with pytest.raises(StudentError, match="raised KeyboardInterrupt"):
        batch_student.call("interrupts", 1)
    assert batch_student.call("interrupts", 2).value == 2


def test_a_call_that_kills_the_kernel_in_a_batch(batch_student):
    assert batch_student.prefetch([PendingCall("dies", (n,), {}) for n in (0, 1, 2)])
    assert batch_student.call("dies", 0).value == 0
    with pytest.raises(StudentError, match="kernel die"):
        batch_student.call("dies", 1)
    # The notebook was replayed in a fresh kernel: other functions still answer.
    assert batch_student.call("double", [2]).value.tolist() == [4]
