"""A small model the grader supplies, so `predict_classes` and `feature_maps` are graded on a
model that does not depend on the student's `build_cnn` or training.

The architecture is a Keras `to_json()` string kept in `grader_model.json` (rebuilt with
`python -m graders.a05_keras_cnn.grader_model`, which needs TensorFlow); the weights are drawn here
from a seed. Both cross to the kernel as data (`convlab.runtime.kernel_keras.KerasModelSpec`: JSON and `.npy`
arrays, never a pickle), where `keras.models.model_from_json` rebuilds the model. Its outputs are
recomputed in numpy (`layers.py`), so the grading process never imports TensorFlow.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from convlab.runtime.kernel_keras import KerasModelSpec
from graders.a05_keras_cnn.layers import conv2d, layer_configs, pool2d

ARCHITECTURE = Path(__file__).with_name("grader_model.json")
INPUT_SHAPE = (32, 32, 1)
N_CLASSES = 3
# name -> output shape without the batch axis
LAYERS = {"conv": (30, 30, 6), "pool": (15, 15, 6), "flat": (1350,), "probs": (N_CLASSES,)}


def build_architecture() -> str:
    """The Keras model's to_json() (needs TensorFlow: run only to rebuild grader_model.json)."""
    import keras

    model = keras.Sequential([
        keras.Input(shape=INPUT_SHAPE, name="image"),
        keras.layers.Conv2D(6, 3, activation="relu", name="conv"),
        keras.layers.MaxPooling2D(2, name="pool"),
        keras.layers.Flatten(name="flat"),
        keras.layers.Dense(N_CLASSES, activation="softmax", name="probs"),
    ], name="grader_model")
    return model.to_json()


@functools.cache
def architecture() -> str:
    return ARCHITECTURE.read_text()


def weights(rng: np.random.Generator) -> list[np.ndarray]:
    """He-scaled random weights in `model.get_weights()` order, float32."""
    conv_k = rng.normal(0, np.sqrt(2 / 9), (3, 3, 1, 6))
    conv_b = rng.normal(0, 0.1, 6)
    dense_k = rng.normal(0, 4 * np.sqrt(2 / 1350), (1350, N_CLASSES))
    dense_b = rng.normal(0, 0.1, N_CLASSES)
    return [w.astype(np.float32) for w in (conv_k, conv_b, dense_k, dense_b)]


def spec(rng: np.random.Generator, calibration: np.ndarray) -> KerasModelSpec:
    """A model with random weights whose output bias spreads its predictions over the classes.

    calibration: (N, 32, 32, 1) images; each class's logit is centred on them, so that no class
    wins every image (a `predict_classes` returning a constant must fail).
    """
    w = weights(rng)
    model = KerasModelSpec(architecture(), tuple(w))
    logits = np.stack([np.log(activations(model, image)["probs"]) for image in calibration])
    w[3] = (w[3] - np.median(logits, axis=0)).astype(np.float32)
    return KerasModelSpec(architecture(), tuple(w))


def activations(model: KerasModelSpec, image: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for one (32, 32, 1) image, in numpy (float64)."""
    configs = layer_configs(model.json)
    conv_k, conv_b, dense_k, dense_b = (np.asarray(w, dtype=np.float64) for w in model.weights)
    conv = conv2d(np.asarray(image, dtype=np.float64), conv_k, conv_b, configs["conv"])
    pool = pool2d(conv, configs["pool"])
    flat = pool.reshape(-1)
    z = flat @ dense_k + dense_b
    e = np.exp(z - z.max())
    return {"conv": conv, "pool": pool, "flat": flat, "probs": e / e.sum()}


if __name__ == "__main__":
    ARCHITECTURE.write_text(json.dumps(json.loads(build_architecture()), indent=1) + "\n")
    print(f"wrote {ARCHITECTURE}")
