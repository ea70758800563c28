"""The hidden cases of 05_keras_cnn, the small model the grader supplies, and the kinds of cases.

Every builder takes a case-list name (the fixed cases, the same for every student) or a
submission's generator (its fresh cases); what the fixed list varies by position (channels, dtypes,
list or array inputs), fresh cases draw at random, so every kind of fixed case can be drawn again
with new numbers. `predict_classes` and `feature_maps` are graded on a model the grader supplies
(`grader_model.py`), so a correct function earns its points whatever the student's `build_cnn` did.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from convlab.checking.calls import Checker
from convlab.runtime.kernel_keras import KerasModelSpec
from graders.a05_keras_cnn import grader_model
from graders.a05_keras_cnn import protocol as P
from graders.a05_keras_cnn.mistakes import MISTAKES
from solutions import keras_cnn as ref

CHECK = Checker(reference=ref, mistakes=MISTAKES, seed=20260505)
Source = str | np.random.Generator


def _position_or_coin(rng: np.random.Generator, source: Source, fixed: bool) -> bool:
    """A yes/no attribute: by position in the fixed list, a coin for fresh cases."""
    return fixed if isinstance(source, str) else bool(rng.integers(2))


# -- build_cnn and build_cnn_functional -------------------------------------------------------------


def build_cases(source: Source, count: int) -> list[tuple[tuple[int, int, int], int]]:
    """Input shapes 16..40 pixels (not always square), 1 or 3 channels, 2..12 classes."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        h, w = int(rng.integers(4, 11)) * 4, int(rng.integers(4, 11)) * 4
        channels = 3 if _position_or_coin(rng, source, i % 2 == 1) else 1
        cases.append(((h, w, channels), int(rng.integers(2, 13))))
    return cases


# -- predict_classes and feature_maps: the grader's model --------------------------------------------


@functools.cache
def grader_model_spec(seed: int) -> KerasModelSpec:
    images = P.shapes_grader_set()[0]
    return grader_model.spec(np.random.default_rng([CHECK.seed, seed]), images[:60])


@functools.cache
def grader_probs(seed: int, indices: tuple[int, ...]) -> np.ndarray:
    """The grader model's probabilities on some of the grader's shapes (numpy, float64)."""
    model, images = grader_model_spec(seed), P.shapes_grader_set()[0]
    return np.stack([grader_model.activations(model, images[i])["probs"] for i in indices])


def predict_cases(source: Source, count: int = 2) -> list[dict[str, Any]]:
    """One model seed, and batches of images the model separates clearly (top-2 margin over 1e-3):
    1, 7, 40 and 3 images (the last float64) in the fixed list, `count` random batches (one image
    or up to 12, either dtype) among the fresh cases."""
    rng = CHECK.rng(source)
    seed = int(rng.integers(0, 2**31))
    if isinstance(source, str):
        sizes, wide = (1, 7, 40, 3), [False, False, False, True]
    else:
        sizes = tuple(1 if rng.random() < 0.3 else int(rng.integers(2, 13)) for _ in range(count))
        wide = [bool(rng.integers(2)) for _ in sizes]
    candidates = tuple(int(i) for i in np.sort(rng.choice(P.SHAPES_GRADER_SIZE, 2 * sum(sizes), replace=False)))
    probs = np.sort(grader_probs(seed, candidates), axis=1)
    clear = np.asarray(candidates)[probs[:, -1] - probs[:, -2] > 1e-3]
    return [{"model": seed, "index": tuple(int(i) for i in np.sort(rng.choice(clear, n, replace=False))),
             "float64": float64} for n, float64 in zip(sizes, wide, strict=True)]


FEATURE_LAYERS = ("conv", "pool", "probs")


def feature_cases(source: Source, count: int) -> list[dict[str, Any]]:
    """One model seed; each image asked for its Conv2D, pooling and output layers in turn."""
    rng = CHECK.rng(source)
    seed = int(rng.integers(0, 2**31))
    images = [int(i) for i in rng.choice(P.SHAPES_GRADER_SIZE, -(-count // 3), replace=False)]
    return [{"model": seed, "image": images[i // 3], "layer": FEATURE_LAYERS[i % 3]} for i in range(count)]


# -- confusion_matrix, prepare_digits, split_holdout -------------------------------------------------


def confusion_cases(source: Source = "confusion_matrix_counts", count: int = 8) -> list[tuple[Any, Any, int]]:
    """Labels as lists, int64, or int32 and uint8 arrays; in some cases classes that never occur
    (their row and column must still be there)."""
    rng = CHECK.rng(source)
    cases: list[tuple[Any, Any, int]] = []
    for i in range(count):
        n_classes = int(rng.integers(2, 9))
        n = int(rng.integers(5, 60))
        subset = _position_or_coin(rng, source, i % 3 == 0)
        used = int(rng.integers(1, n_classes + 1)) if subset else n_classes
        y_true = rng.integers(0, used, n)
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, used, n))
        form = i % 4 if isinstance(source, str) else int(rng.integers(4))
        if form == 1:
            y_true, y_pred = y_true.tolist(), y_pred.tolist()
        elif form == 2:
            y_true, y_pred = y_true.astype(np.int32), y_pred.astype(np.uint8)
        cases.append((y_true, y_pred, n_classes))
    return cases


DIGIT_DTYPES = (np.float64, np.int64, np.uint8, np.float64)


def digits_cases(source: Source = "prepare_digits_values", count: int = 4) -> list[np.ndarray]:
    """1 to 5 digits of 8x8 pixels in 0..16, as float64, int64 or uint8."""
    rng = CHECK.rng(source)
    cases = []
    for i in range(count):
        dtype = DIGIT_DTYPES[i] if isinstance(source, str) else DIGIT_DTYPES[int(rng.integers(3))]
        images = rng.integers(0, 17, (int(rng.integers(1, 6)), 8, 8)).astype(dtype)
        images[0, 0, 0], images[0, -1, -1] = 16, 0  # the full range is always present
        cases.append(images)
    return cases


def split_cases(source: Source = "split_holdout_indices", count: int = 5) -> list[tuple[int, float, int]]:
    """(n, test_fraction, seed); test_fraction · n never ends in .5, where Python's round (halves to
    even) and rounding halves up, as often taught, disagree."""
    rng = CHECK.rng(source)
    cases: list[tuple[int, float, int]] = []
    while len(cases) < count:
        n, fraction = int(rng.integers(10, 400)), float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.5]))
        seed = int(rng.integers(0, 1000))
        if abs(fraction * n % 1 - 0.5) > 1e-6:
            cases.append((n, fraction, seed))
    return cases


# -- kinds: the ways cases differ, each drawn again among every submission's fresh cases ---------------


def build_kind(case: tuple) -> tuple[str, ...]:
    (h, w, channels), _ = case
    return (f"{channels} channel(s)", "square images" if h == w else "non-square images")


def predict_kind(case: dict[str, Any]) -> tuple[str, ...]:
    return ("one image" if len(case["index"]) == 1 else "several images", "float64" if case["float64"] else "float32")


def _labels_form(value: Any) -> str:
    return "lists" if isinstance(value, list) else f"{np.asarray(value).dtype} arrays"


def confusion_kind(case: tuple) -> tuple[str, ...]:
    y_true, y_pred, n_classes = case
    seen = set(np.asarray(y_true).tolist()) | set(np.asarray(y_pred).tolist())
    return (_labels_form(y_true), "a class never occurs" if len(seen) < n_classes else "every class occurs")


def digits_kind(images: np.ndarray) -> tuple[str, ...]:
    return (str(images.dtype), "one digit" if len(images) == 1 else "several digits")


def split_kind(case: tuple) -> str:
    """How round(test_fraction · n) rounds: a truncating int() is wrong only when it rounds up."""
    n, fraction, _ = case
    rest = fraction * n % 1
    return "a whole number" if min(rest, 1 - rest) < 1e-9 else "rounds up" if rest > 0.5 else "rounds down"
