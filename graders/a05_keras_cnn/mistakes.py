"""Typical wrong variants of the 05_keras_cnn functions, so the graders can name a student's mistake.

`MISTAKES` maps a student function name to rows `(mistake_id, hint, fn)`; `fn` takes the arguments
the grader replays (listed per function below) and returns what a student who made that mistake
returns (or raises what they raise). A failed check names the row that reproduces the most of its
failed cases (ties: the earlier row), so rows go from specific to generic. Hints never contain
expected values.

- predict_classes: `fn(probabilities)`, the model's own output for the same images.
- confusion_matrix, prepare_digits, split_holdout: the student function's own arguments, under the
  same names (the graders replay keyword arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from solutions import keras_cnn as ref

Row = tuple[str, str, Callable[..., Any]]


def _hist2d(y_true: Any, y_pred: Any, n_classes: int) -> np.ndarray:
    return ref.confusion_matrix(y_true, y_pred, n_classes)


PREDICT: list[Row] = [
    ("probabilities", "predict_classes returned the class probabilities; return the index of the largest "
     "probability of each row (np.argmax(..., axis=1)).", lambda p: p),
    ("argmax_axis0", "the argmax was taken over axis 0 (the images) instead of axis 1 (the classes).",
     lambda p: np.argmax(p, axis=0)),
    ("keepdims", "the labels have an extra axis: return shape (N,), not (N, 1).",
     lambda p: np.argmax(p, axis=1)[:, None]),
    ("max_probability", "this is the largest probability of each image, not its class: use argmax, not max.",
     lambda p: np.max(p, axis=1)),
    ("no_axis", "np.argmax without an axis gives one index into the flattened array; take the argmax of each "
     "row (axis=1).", lambda p: np.argmax(p)),
]

def _pairs_once(y_true: Any, y_pred: Any, n_classes: int) -> np.ndarray:
    """cm[y_true, y_pred] += 1 with index arrays: a repeated (true, predicted) pair is added once."""
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    cm[np.asarray(y_true).astype(np.int64), np.asarray(y_pred).astype(np.int64)] += 1
    return cm


CONFUSION: list[Row] = [
    ("transposed", "the matrix is transposed: rows must be the true classes and columns the predictions "
     "(cm[true, predicted]).", lambda t, p, n: _hist2d(t, p, n).T),
    ("size_from_labels", "the size comes from the labels seen (max + 1), not from n_classes: classes that "
     "never occur still need their row and column.",
     lambda t, p, n: _hist2d(t, p, int(max(np.max(t, initial=-1), np.max(p, initial=-1)) + 1))),
    ("normalised", "the rows are normalised to proportions; return the raw counts.",
     lambda t, p, n: _hist2d(t, p, n) / np.maximum(_hist2d(t, p, n).sum(1, keepdims=True), 1)),
    ("pairs_counted_once", "cm[y_true, y_pred] += 1 adds 1 once per distinct pair, however often it repeats; "
     "count every sample (np.add.at(cm, (y_true, y_pred), 1), or a loop).", _pairs_once),
]


def _digits_variant(scale: float, up: str, channel: bool | str, floor: bool = False) -> Callable[[Any], np.ndarray]:
    def fn(images: Any) -> np.ndarray:
        x = np.asarray(images, dtype=np.float64)
        x = x // scale if floor else x / scale
        if up == "repeat":
            x = x.repeat(2, axis=1).repeat(2, axis=2)
        elif up == "tile":
            x = np.tile(x, (1, 2, 2))
        if channel == "first":
            return x[:, None]
        return x[..., None] if channel else x
    return fn


DIGITS: list[Row] = [
    ("not_scaled", "the pixel values are not scaled to [0, 1]: the digits go from 0 to 16, so divide by 16.",
     _digits_variant(1, "repeat", True)),
    ("scaled_255", "the values were divided by 255, but these digits go from 0 to 16: divide by 16.",
     _digits_variant(255, "repeat", True)),
    ("no_channel", "the channels axis is missing: Keras wants (N, 16, 16, 1); add it with x[..., np.newaxis].",
     _digits_variant(16, "repeat", False)),
    ("no_channel_not_scaled", "two steps are left out: Keras wants a channel axis, (N, 16, 16, 1) (add it with "
     "x[..., np.newaxis]), and values in [0, 1] (divide the 0..16 digits by 16).", _digits_variant(1, "repeat", False)),
    ("not_upsampled", "the images were not upsampled to 16x16: repeat each pixel into a 2x2 block.",
     _digits_variant(16, "none", True)),
    ("tiled", "np.tile repeats the whole image side by side; repeat each pixel instead (np.repeat on axes 1 "
     "and 2).", _digits_variant(16, "tile", True)),
    ("channels_first", "the channels axis comes first, (N, 1, 16, 16); Keras' Conv2D wants channels last, "
     "(N, 16, 16, 1).", _digits_variant(16, "repeat", "first")),
    ("floor_division", "// keeps only the whole part, so every pixel becomes 0 or 1; divide with /.",
     _digits_variant(16, "repeat", True, floor=True)),
]


def _perm(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n)


def _n_test(n: int, fraction: float) -> int:
    return int(round(fraction * n))


def _split_with(perm: np.ndarray, cut: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) = (the rest, the first `cut` indices of `perm`)."""
    return perm[cut:], perm[:cut]


def _split_at(n: int, seed: int, cut: int) -> tuple[np.ndarray, np.ndarray]:
    """(the first `cut` indices of the permutation, the rest)."""
    return _perm(n, seed)[:cut], _perm(n, seed)[cut:]


SPLIT: list[Row] = [
    ("leaky", "the training indices include the test indices: the model would be tested on images it "
     "trained on; train on the rest of the permutation only.",
     lambda n, test_fraction=0.25, seed=0: (_perm(n, seed), _perm(n, seed)[:_n_test(n, test_fraction)])),
    ("swapped", "train and test are swapped: the test set is the first round(test_fraction * n) indices.",
     lambda n, test_fraction=0.25, seed=0: _split_at(n, seed, _n_test(n, test_fraction))),
    ("test_at_end", "the test set must be the first round(test_fraction * n) indices of the permutation, "
     "not the last ones.",
     lambda n, test_fraction=0.25, seed=0: _split_at(n, seed, n - _n_test(n, test_fraction))),
    ("not_shuffled", "the indices were not shuffled: use np.random.default_rng(seed).permutation(n).",
     lambda n, test_fraction=0.25, seed=0: (np.arange(_n_test(n, test_fraction), n), np.arange(_n_test(n, test_fraction)))),
    ("truncated", "int(test_fraction * n) cuts the fraction off; the test set has round(test_fraction * n) "
     "indices.", lambda n, test_fraction=0.25, seed=0: _split_with(_perm(n, seed), int(test_fraction * n))),
    ("legacy_generator", "the permutation comes from the legacy np.random.seed / RandomState generator; use "
     "np.random.default_rng(seed).permutation(n).", lambda n, test_fraction=0.25, seed=0: _split_with(
         np.random.RandomState(seed).permutation(n), _n_test(n, test_fraction))),
    ("fraction_ignored", "test_fraction is ignored: hold out round(test_fraction * n) indices, for the "
     "test_fraction given.", lambda n, test_fraction=0.25, seed=0: _split_with(_perm(n, seed), _n_test(n, 0.25))),
]

MISTAKES: dict[str, list[Row]] = {
    "predict_classes": PREDICT,
    "confusion_matrix": CONFUSION,
    "prepare_digits": DIGITS,
    "split_holdout": SPLIT,
}
