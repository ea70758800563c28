"""Reference solutions for assignment 05_keras_cnn (a convolutional network in TensorFlow/Keras).

Conventions used throughout:

* Images are channels-last float32 batches ``(N, H, W, C)`` with values in [0, 1], as Keras expects.
* Labels are integers ``0 .. n_classes - 1`` (not one-hot), so models are compiled with
  ``sparse_categorical_crossentropy``.
* A confusion matrix has the true class on the rows and the predicted class on the columns.

Each function is self-contained (it may call other functions of this module by name), because its
body is pasted into the solution cell of the notebook, whose setup cell imports ``numpy as np`` and
``keras``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras
else:

    class _LazyKeras(ModuleType):
        """`keras`, imported on first use: the graders use this module's numpy-only functions
        (confusion_matrix, prepare_digits, split_holdout) without loading TensorFlow."""

        def __getattr__(self, name: str) -> Any:
            return getattr(importlib.import_module("keras"), name)

    keras = _LazyKeras("keras")


def build_cnn(input_shape: tuple[int, int, int], n_classes: int) -> keras.Sequential:
    """A small compiled convolutional classifier built with ``keras.Sequential``.

    Three blocks of ``Conv2D`` (3x3, ``"same"`` padding, ReLU) followed by ``MaxPooling2D`` (2x2)
    halve the image three times while the number of filters grows (16, 32, 64); ``Flatten`` and a
    ``Dense`` layer of 64 units combine the features; the last ``Dense`` layer has one unit per
    class and a softmax, so the model outputs class probabilities. For 32x32x1 inputs and 3
    classes this is 89,091 parameters.

    Args:
        input_shape: shape of one image ``(H, W, C)``, e.g. ``(32, 32, 1)``; H and W >= 8.
        n_classes: number of classes (>= 2).

    Returns:
        A ``keras.Sequential`` model compiled with Adam (learning rate 0.002), the loss
        ``sparse_categorical_crossentropy`` (integer labels) and the metric ``"accuracy"``.
        Input ``(N, H, W, C)`` float32, output ``(N, n_classes)`` probabilities.
    """
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=tuple(input_shape)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.002),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def build_cnn_functional(input_shape: tuple[int, int, int], n_classes: int) -> keras.Model:
    """The architecture of ``build_cnn`` written with the Functional API.

    Each layer is called on the previous layer's output tensor, starting from ``keras.Input`` and
    ending with ``keras.Model(inputs, outputs)``. The Functional API is what you need for models
    that are not a plain stack (several inputs or outputs, skip connections); for a stack it gives
    the same layers, in the same order, with the same number of parameters as ``Sequential``.

    Args:
        input_shape: shape of one image ``(H, W, C)``.
        n_classes: number of classes.

    Returns:
        A compiled ``keras.Model`` (not a ``Sequential``), compiled as in ``build_cnn``.
    """
    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.002),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train(model: keras.Model, x: np.ndarray, y: np.ndarray, epochs: int = 10) -> keras.callbacks.History:
    """Fit a compiled model, keeping the last 20 % of the samples for validation.

    ``validation_split=0.2`` holds out the *last* 20 % of ``x`` (before shuffling), so the history
    also records ``val_loss`` and ``val_accuracy`` after every epoch: the gap between the training
    and the validation curves shows overfitting. Batches of 32, shuffled every epoch.

    Args:
        model: a compiled Keras model whose output has one unit per class.
        x: images, shape (N, H, W, C), float32 in [0, 1].
        y: integer labels, shape (N,).
        epochs: number of passes over the training part.

    Returns:
        The ``History`` returned by ``model.fit``: ``history.history`` maps ``"loss"``,
        ``"accuracy"``, ``"val_loss"`` and ``"val_accuracy"`` to one value per epoch.
    """
    return model.fit(x, y, epochs=epochs, batch_size=32, validation_split=0.2, verbose=0)


def predict_classes(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The most probable class of each image.

    ``model.predict`` returns one row of class probabilities per image, shape (N, n_classes);
    the predicted label is the index of the largest one.

    Args:
        model: a classifier whose last layer is a softmax.
        images: shape (N, H, W, C).

    Returns:
        int64 array of shape (N,) with values in 0 .. n_classes - 1.
    """
    probabilities = model.predict(np.asarray(images, dtype="float32"), verbose=0)
    return np.argmax(probabilities, axis=1).astype(np.int64)


def feature_maps(model: keras.Model, image: np.ndarray, layer_name: str) -> np.ndarray:
    """The activations of one layer of ``model`` for one image.

    A sub-model that shares the trained layers, ``keras.Model(model.inputs, layer.output)``,
    stops at the requested layer; calling it on a batch of one image gives that layer's output.

    Args:
        model: a built Keras model (Sequential or Functional).
        image: one image, shape (H, W, C) (no batch axis).
        layer_name: the ``name`` of one of ``model.layers``.

    Returns:
        float32 array, the layer's output without the batch axis, e.g. (H, W, filters) for a
        ``Conv2D`` layer with ``"same"`` padding.
    """
    layer = model.get_layer(layer_name)
    sub_model = keras.Model(inputs=model.inputs, outputs=layer.output)
    batch = np.asarray(image, dtype="float32")[np.newaxis]  # a batch of one image
    return sub_model.predict(batch, verbose=0)[0]


def confusion_matrix(y_true: np.typing.ArrayLike, y_pred: np.typing.ArrayLike, n_classes: int) -> np.ndarray:
    """Count how often each true class was predicted as each class (numpy only).

    ``cm[i, j]`` is the number of samples of true class ``i`` predicted as class ``j``: the
    diagonal holds the correct predictions, each row sums to the number of samples of that class.

    Args:
        y_true: true labels, shape (N,), integers in 0 .. n_classes - 1 (list or array).
        y_pred: predicted labels, shape (N,), same range.
        n_classes: number of classes; classes that never occur still get a row and a column.

    Returns:
        int64 array of shape (n_classes, n_classes).
    """
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same length")
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    # np.add.at adds once per pair, even when the same (true, predicted) pair repeats.
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def prepare_digits(images: np.typing.ArrayLike) -> np.ndarray:
    """scikit-learn's 8x8 digits as a Keras-ready batch of 16x16 images.

    ``load_digits().images`` has shape (N, 8, 8) with integer intensities 0..16. Each pixel is
    repeated into a 2x2 block (nearest-neighbour upsampling to 16x16, so two pooling layers still
    leave a useful map), values are divided by 16 to lie in [0, 1], and a channels axis is added.

    Args:
        images: shape (N, 8, 8), values 0..16 (any numeric dtype).

    Returns:
        float32 array of shape (N, 16, 16, 1) with values in [0, 1].
    """
    x = np.asarray(images, dtype=np.float32) / 16.0
    x = x.repeat(2, axis=1).repeat(2, axis=2)
    return x[..., np.newaxis]


def split_holdout(n: int, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the indices 0..n-1 and set the first ``test_fraction`` of them aside for testing.

    ``perm = np.random.default_rng(seed).permutation(n)``; the test set is the first
    ``round(test_fraction * n)`` indices of ``perm`` and the training set the rest, so the two never
    overlap and together cover every sample. A model trained on ``train_idx`` and evaluated on
    ``test_idx`` is measured on images it never saw.

    Args:
        n: number of samples (>= 2).
        test_fraction: share of samples held out, strictly between 0 and 1.
        seed: seed of the shuffle (the same seed always gives the same split).

    Returns:
        ``(train_idx, test_idx)``: int64 arrays of lengths ``n - n_test`` and ``n_test``.
    """
    perm = np.random.default_rng(seed).permutation(n)
    n_test = int(round(test_fraction * n))
    return perm[n_test:].astype(np.int64), perm[:n_test].astype(np.int64)
