"""Build the small classifier shipped with assignment 01_image_tasks (`shapes_classifier.keras`).

    python -m graders.a01_image_tasks.build_model              # rewrites source/01_image_tasks/shapes_classifier.keras
    python -m graders.a01_image_tasks.build_model /tmp/m.keras # or writes elsewhere

The model plays the part of a Teachable Machine export: a square RGB input scaled to [-1, 1]
(`x / 127.5 - 1`) and a softmax over circle, square, triangle. It is trained on the course's shapes
generator only, with fixed seeds and deterministic ops, so the same file comes out on every run
(up to the zip timestamps). Then `make release` copies it into the release folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from convlab import course
from graders.datasets import shapes_module

INPUT_SIZE = 64
SEED = 20260101
OUT = course.source_dir("01_image_tasks") / "shapes_classifier.keras"


def training_images(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(n, INPUT_SIZE, INPUT_SIZE, 3) uint8 RGB shapes in random colours, and their labels.

    Colour: the grey level of the generated image times a random RGB tint, so the model sees
    colour images but has to rely on the outline.
    """
    data = shapes_module().make_shapes(n, seed=seed, size=INPUT_SIZE)
    rng = np.random.default_rng(seed + 1)
    tint = rng.uniform(0.5, 1.0, (n, 1, 1, 3))
    rgb = np.clip(np.round(data.images * tint * 255), 0, 255).astype(np.uint8)
    return rgb, data.labels


def build(out: Path = OUT, epochs: int = 12) -> float:
    """Train and save the model; return its accuracy on a held-out generated set."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    x, y = training_images(3000, SEED)
    x_test, y_test = training_images(600, SEED + 7)
    scale = lambda images: images.astype(np.float32) / 127.5 - 1.0  # noqa: E731 - the model's input convention

    model = keras.Sequential(
        [
            keras.Input((INPUT_SIZE, INPUT_SIZE, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ],
        name="shapes_classifier",
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(scale(x), y, epochs=epochs, batch_size=64, shuffle=True, verbose=2)
    accuracy = float(model.evaluate(scale(x_test), y_test, verbose=0)[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    # Without the optimizer state the file is about three times smaller, and inference needs none.
    model.save(out, include_optimizer=False)
    return accuracy


if __name__ == "__main__":
    # An optional path writes elsewhere, e.g. to compare a rebuild with the shipped file.
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    acc = build(out)
    print(f"held-out accuracy {acc:.3f}; wrote {out} ({out.stat().st_size // 1024} KB)", file=sys.stderr)
