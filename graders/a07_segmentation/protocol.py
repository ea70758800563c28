"""What the 07_segmentation notebook trains on, and what the graders measure the U-Net on.

The notebook's read-only training cell states the same numbers; the graders rebuild the held-out
scenes here, in the grading process, so nothing the kernel says about its test data is trusted.
`measure_thresholds` trains the reference with these settings to set THRESHOLD.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from graders.a05_keras_cnn.protocol import shapes_module  # the one shapes generator, in 05's source

__all__ = ["shapes_module"]

# The notebook's training protocol (its read-only cell says the same).
IMAGE_SIZE, MAX_OBJECTS = 32, 3
N_CLASSES = 4  # background, circle, square, triangle
CLASS_NAMES = ("background", *shapes_module().CLASSES)
TRAIN_SCENES, TRAIN_SEED = 400, 1
BATCH_SIZE, EPOCHS = 4, 18  # TRAIN_SCENES / BATCH_SIZE · EPOCHS = 1800 steps: training stops by steps
LEARNING_RATE = 2e-3
DEPTH, BASE_FILTERS = 2, 8
TRAINING_SEED = 7  # keras.utils.set_random_seed before each of the two trainings
THREADS = (2, 1)  # TensorFlow intra-op and inter-op threads, fixed in the setup cell

# Only the graders know this seed: the U-Net is scored on scenes nobody trained on.
GRADER_SEED, GRADER_SCENES = 70_712_026, 200

# mean - 3 sd of the reference's mean IoU over training seeds, rounded down to 0.01
# (python -m graders.a07_segmentation.measure_thresholds; the numbers are in the notebook too).
# Measured (5 seeds, oneDNN off): with skips 0.7813 ± 0.0518 -> 0.6259 (lowest 0.7375); without skips
# 0.7161 ± 0.0447 (every seed below its skip twin); all background 0.2278.
THRESHOLD = 0.62
# Partial credit: each band below the threshold that the mean IoU reaches is worth a share.
BAND_WIDTH = 0.05
BANDS = 4


def training_scenes() -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 32, 32, 1) float32, class masks (N, 32, 32) uint8) the notebook trains on."""
    scenes = shapes_module().make_scenes(TRAIN_SCENES, seed=TRAIN_SEED, size=IMAGE_SIZE, max_objects=MAX_OBJECTS)
    return scenes.images, scenes.masks


@cache
def grader_scenes() -> tuple[np.ndarray, np.ndarray]:
    """(images, class masks) that the student's notebook never saw."""
    scenes = shapes_module().make_scenes(GRADER_SCENES, seed=GRADER_SEED, size=IMAGE_SIZE, max_objects=MAX_OBJECTS)
    return scenes.images, scenes.masks


def band_levels() -> list[float]:
    """Mean-IoU levels of the partial-credit bands, lowest first; the last one is the threshold."""
    return [round(THRESHOLD - BAND_WIDTH * k, 4) for k in range(BANDS - 1, -1, -1)]
