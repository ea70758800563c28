"""05_keras_cnn: the reference solutions against independent oracles (scikit-learn, np.kron, Keras
layers), the graders' numpy re-implementation of Conv2D and pooling against Keras, the stated
thresholds, and the optional MNIST loader offline."""

from __future__ import annotations

import socket
import time

import nbformat
import numpy as np
import pytest

from convlab.notebook import nbgrader_meta
from convlab.settings import REPO_ROOT
from graders.a05_keras_cnn import protocol as P
from graders.datasets import shapes_module
from solutions import keras_cnn as ref

SOURCE = REPO_ROOT / "source" / "05_keras_cnn" / "keras_cnn.ipynb"


def _cell(grade_id: str) -> str:
    nb = nbformat.read(SOURCE, as_version=4)
    return next(c.source for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


# -- numpy tasks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_confusion_matrix_matches_sklearn(seed):
    from sklearn.metrics import confusion_matrix as sk

    rng = np.random.default_rng(seed)
    n_classes = int(rng.integers(2, 9))
    y_true, y_pred = rng.integers(0, n_classes - seed % 2, (2, int(rng.integers(0, 50))))
    got = ref.confusion_matrix(y_true.tolist(), y_pred, n_classes)
    np.testing.assert_array_equal(got, sk(y_true, y_pred, labels=list(range(n_classes))))
    assert got.dtype == np.int64 and got.sum() == len(y_true)


def test_prepare_digits_is_a_nearest_neighbour_upsampling_scaled_to_unit_range():
    from sklearn.datasets import load_digits

    images = load_digits().images[:50]
    got = ref.prepare_digits(images.astype(np.int64))
    assert got.shape == (50, 16, 16, 1) and got.dtype == np.float32
    expected = np.stack([np.kron(image, np.ones((2, 2))) for image in images]) / 16
    np.testing.assert_allclose(got[..., 0], expected, rtol=1e-6)
    assert got.min() == 0 and got.max() == 1


@pytest.mark.parametrize(("n", "fraction", "seed"), [(10, 0.25, 0), (1797, 0.25, 0), (7, 0.5, 3), (400, 0.1, 9)])
def test_split_holdout_is_a_seeded_partition(n, fraction, seed):
    train, test = ref.split_holdout(n, fraction, seed)
    assert len(test) == round(fraction * n) and len(train) == n - len(test)
    assert not np.intersect1d(train, test).size
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
    again = ref.split_holdout(n, fraction, seed)
    assert all(np.array_equal(a, b) for a, b in zip(again, (train, test), strict=True))
    assert not np.array_equal(ref.split_holdout(n, fraction, seed + 1)[1], test)


def test_thresholds_are_stated_in_the_notebook_and_bands_rise_to_them():
    text = SOURCE.read_text()
    for task in ("shapes", "digits"):
        levels = P.band_levels(task)
        assert levels == sorted(levels) and levels[-1] == P.THRESHOLDS[task]
        assert f"**{P.THRESHOLDS[task]:.2f}**" in text
    assert "30 seeds" in text and "mean − 3 sd" not in text, "the notebook says where the pass marks come from"


def test_the_notebook_trains_with_the_protocol_settings():
    """The graders' expectations (epochs, data, split) are the ones the read-only cells use."""
    shapes, digits, setup = _cell("train_shapes"), _cell("train_digits"), _cell("setup")
    assert f"make_shapes({P.SHAPES_TRAIN_SIZE}, seed={P.SHAPES_TRAIN_SEED})" in shapes
    assert f"epochs={P.SHAPES_EPOCHS}" in shapes and f"epochs={P.DIGITS_EPOCHS}" in digits
    assert f"test_fraction={P.DIGITS_TEST_FRACTION}, seed={P.DIGITS_SPLIT_SEED}" in digits
    assert f"SEED = {P.TRAINING_SEED}" in setup
    assert f"set_intra_op_parallelism_threads({P.THREADS[0]})" in setup
    assert f"set_inter_op_parallelism_threads({P.THREADS[1]})" in setup
    assert "keras.utils.set_random_seed(SEED)" in shapes and "keras.utils.set_random_seed(SEED)" in digits


# -- Keras tasks -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "n"), [((32, 32, 1), 3), ((16, 16, 1), 10), ((24, 40, 3), 5)])
def test_build_cnn_and_functional_twin(keras, shape, n):
    seq, fun = ref.build_cnn(shape, n), ref.build_cnn_functional(shape, n)
    assert isinstance(seq, keras.Sequential) and not isinstance(fun, keras.Sequential)
    kinds = [type(layer).__name__ for layer in seq.layers]
    assert kinds == [type(layer).__name__ for layer in fun.layers if type(layer).__name__ != "InputLayer"]
    assert kinds.count("Conv2D") == 3 and "MaxPooling2D" in kinds
    assert seq.count_params() == fun.count_params() <= 150_000
    assert seq.output_shape == (None, n) and seq.layers[-1].get_config()["activation"] == "softmax"
    if (shape, n) == ((32, 32, 1), 3):
        assert seq.count_params() == 89_091
    x = np.random.default_rng(0).random((4, *shape), dtype=np.float32)
    np.testing.assert_allclose(seq.predict(x, verbose=0).sum(1), 1, rtol=1e-5)


@pytest.fixture(scope="module")
def small_model(keras):
    """The reference model after one short epoch: enough to make every layer non-trivial."""
    data = shapes_module().make_shapes(96, seed=4)
    keras.utils.set_random_seed(0)
    model = ref.build_cnn((32, 32, 1), 3)
    history = ref.train(model, data.images, data.labels, epochs=2)
    return model, history, data


@pytest.mark.slow
def test_train_records_validation_metrics_per_epoch(small_model):
    _, history, _ = small_model
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == [0, 1] and history.params["steps"] == -(-int(96 * 0.8) // 32)


@pytest.mark.slow
def test_predict_classes_and_feature_maps_against_keras(keras, small_model):
    from graders.a05_keras_cnn.layers import conv2d, layer_configs, pool2d

    model, _, data = small_model
    probs = model.predict(data.images[:10], verbose=0)
    labels = ref.predict_classes(model, data.images[:10])
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, probs.argmax(1))
    np.testing.assert_allclose(ref.feature_maps(model, data.images[3], model.layers[-1].name), probs[3], rtol=1e-4, atol=1e-6)
    conv, pool = model.layers[0], model.layers[1]
    configs = layer_configs(model.to_json())
    maps = ref.feature_maps(model, data.images[3], conv.name)
    kernel, bias = conv.get_weights()
    np.testing.assert_allclose(maps, conv2d(data.images[3], kernel, bias, configs[conv.name]), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ref.feature_maps(model, data.images[3], pool.name),
                               pool2d(maps, configs[pool.name]), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize(("padding", "strides", "size", "activation"),
                         [("valid", 1, 3, "relu"), ("same", 1, 5, "linear"), ("same", 2, 3, "tanh"), ("valid", 2, 4, "relu")])
def test_grader_numpy_conv_and_pooling_match_keras(keras, padding, strides, size, activation):
    from graders.a05_keras_cnn.layers import conv2d, pool2d

    rng = np.random.default_rng(size)
    image = rng.random((11, 13, 2), dtype=np.float32)
    layer = keras.layers.Conv2D(4, size, strides=strides, padding=padding, activation=activation)
    want = np.asarray(layer(image[None]))[0]
    cfg = {"class_name": "Conv2D", **layer.get_config()}
    np.testing.assert_allclose(conv2d(image, *layer.get_weights(), cfg), want, rtol=1e-4, atol=1e-5)
    for kind in ("MaxPooling2D", "AveragePooling2D"):
        pool = getattr(keras.layers, kind)(2, strides=strides, padding="valid" if kind == "AveragePooling2D" else padding)
        np.testing.assert_allclose(pool2d(want, {"class_name": kind, **pool.get_config()}),
                                   np.asarray(pool(want[None]))[0], rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_mnist_loader_skips_quickly_offline(keras, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (simulated)")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    namespace = {"keras": keras, "np": np}
    exec(_cell("mnist_optional"), namespace)  # noqa: S102 - our own read-only cell
    start = time.perf_counter()
    assert namespace["load_mnist"]() is None
    assert time.perf_counter() - start < 5
    assert "MNIST skipped" in capsys.readouterr().out
