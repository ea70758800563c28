"""What the 05_keras_cnn notebook does with its data, and what the graders measure it on.

The notebook's read-only cells use the same numbers (training set, epochs, split); the graders
rebuild the held-out data here, in the grading process, so nothing the kernel says about its test
data is trusted. `measure_thresholds` trains the reference with these settings to set THRESHOLDS.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from graders.datasets import shapes_module

# The notebook's pipeline (its read-only cells say the same).
SHAPES_TRAIN_SIZE, SHAPES_TRAIN_SEED, SHAPES_EPOCHS = 3000, 1, 10
DIGITS_TEST_FRACTION, DIGITS_SPLIT_SEED, DIGITS_EPOCHS = 0.25, 0, 10
TRAINING_SEED = 5  # keras.utils.set_random_seed before each training in the notebook
THREADS = (2, 1)  # TensorFlow intra-op and inter-op threads, fixed in the setup cell

# Only the graders know this seed: the shapes model is scored on images nobody trained on.
SHAPES_GRADER_SEED, SHAPES_GRADER_SIZE = 70_512_026, 900

# The pass marks follow convlab/dev/thresholds.py: the lowest accuracy of the reference over 30 training
# seeds, minus a margin, rounded down to 0.01 (`convlab thresholds 05_keras_cnn --seeds 30`). A seed
# stands in for a machine: training is repeatable only on one kind of CPU. Measured on AMD EPYC
# (avx512f, 2 CPUs), oneDNN off, seeds 0-29: shapes 0.9873 ± 0.0086, lowest 0.9578 (seed 15);
# digits 0.9705 ± 0.0130, lowest 0.9310 (seed 16). A model that barely trains (learning rate 1e-5,
# one epoch, the corpus's train_barely_trains) reaches 0.33 on the shapes and 0.08-0.13 on the digits.
MEASURED = {
    "shapes": (
        0.9944, 0.9944, 0.9889, 0.9900, 0.9911, 0.9878, 0.9900, 0.9822, 0.9867, 0.9900,
        0.9944, 0.9822, 0.9800, 0.9933, 0.9878, 0.9578, 0.9778, 0.9922, 0.9744, 0.9900,
        0.9944, 0.9978, 0.9911, 0.9878, 0.9900, 0.9911, 0.9944, 0.9856, 0.9933, 0.9678,
    ),
    "digits": (
        0.9577, 0.9822, 0.9822, 0.9733, 0.9666, 0.9733, 0.9733, 0.9666, 0.9800, 0.9844,
        0.9688, 0.9800, 0.9599, 0.9666, 0.9733, 0.9644, 0.9310, 0.9822, 0.9955, 0.9710,
        0.9510, 0.9844, 0.9488, 0.9644, 0.9844, 0.9800, 0.9755, 0.9577, 0.9688, 0.9688,
    ),
}
THRESHOLDS = {"shapes": 0.93, "digits": 0.91}
# Partial credit: each band below the threshold that the accuracy reaches is worth a share.
BAND_WIDTH = 0.05
BANDS = 4


@cache
def shapes_grader_set() -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 32, 32, 1) float32, labels (N,)) that the student's notebook never saw."""
    data = shapes_module().make_shapes(SHAPES_GRADER_SIZE, seed=SHAPES_GRADER_SEED)
    return data.images, data.labels


@cache
def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test) of the digits, prepared and split as the notebook does."""
    from sklearn.datasets import load_digits

    from solutions.keras_cnn import prepare_digits, split_holdout

    digits = load_digits()
    x = prepare_digits(digits.images)
    train_idx, test_idx = split_holdout(len(x), DIGITS_TEST_FRACTION, DIGITS_SPLIT_SEED)
    return x[train_idx], digits.target[train_idx], x[test_idx], digits.target[test_idx]


def band_levels(task: str) -> list[float]:
    """Accuracy levels of the partial-credit bands, lowest first; the last one is the threshold."""
    top = THRESHOLDS[task]
    return [round(top - BAND_WIDTH * k, 4) for k in range(BANDS - 1, -1, -1)]
