"""The bridge against a real kernel: dicts, dotted methods, variables, kernel-side timing, and
Keras models and histories crossing as data."""

from __future__ import annotations

import pytest

from graders.kernel import StudentKernel
from graders.notebook import StudentCell
from graders.student import Student, StudentError

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
        s = Student(kernel, [StudentCell(0, code)])
        s.run_notebook()
        model = s.get("model").value
        history = s.get("history").value
        probs = s.call("model.predict", __import__("numpy").zeros((2, 6, 6, 1)), verbose=0).value
    assert [layer["class"] for layer in model["layers"]] == ["Conv2D", "Flatten", "Dense"]
    assert model["layers"][0]["output_shape"] == [None, 4, 4, 2]
    assert model["layers"][0]["params"] == 2 * 9 + 2 and model["layers"][0]["activation"] == "relu"
    assert model["count_params"] == 20 + 33 * 3 - 3 + 3 and model["compiled"] is True
    assert model["input_shape"] == [None, 6, 6, 1] and '"Conv2D"' in model["json"]
    assert len(history["history"]["loss"]) == 2 and history["epoch"] == [0, 1]
    assert probs.shape == (2, 3)
