"""Tests proving the reference solutions of 04_stacked_convs correct against independent oracles.

Oracles: Keras layers and models holding the same weights (`Conv2D`, `MaxPooling2D`,
`AveragePooling2D`, `Sequential.count_params`, `model.predict`), the course's lab example, and a
brute-force impulse computation of receptive fields through real Keras stacks. The hidden cases of
the graders are run through Keras too, so every expected value a grader uses is Keras' own.
Keras tests are marked ``slow``.
"""

from __future__ import annotations

import os
from types import ModuleType

import numpy as np
import pytest

from graders.a04_stacked_convs import cases as C
from solutions.stacked_convs import (
    avg_pool2d,
    build_model,
    cnn_forward,
    conv_stack,
    count_params,
    max_pool2d,
    output_shapes,
    receptive_field,
)

LAB_SPEC = [
    {"type": "conv2d", "filters": 90, "kernel_size": 5},
    {"type": "conv2d", "filters": 15, "kernel_size": 4},
    {"type": "flatten"},
    {"type": "dense", "units": 100},
    {"type": "dense", "units": 20},
    {"type": "dense", "units": 3},
]


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    """Keras, imported lazily so that the fast tests never load TensorFlow."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


# -- fast tests (numpy only) -----------------------------------------------------------------------


def test_lab_example_has_13004138_parameters() -> None:
    assert count_params((100, 100, 3), LAB_SPEC) == 13_004_138
    assert output_shapes((100, 100, 3), LAB_SPEC)[:3] == [(96, 96, 90), (93, 93, 15), (129735,)]


def test_receptive_field_matches_impulse_brute_force_on_hidden_cases() -> None:
    stacks = C.receptive_field_cases("receptive_field_impulse", 40) + C.receptive_field_cases(
        "receptive_field_defaults", 40, defaults=True)
    for layers in stacks:
        assert receptive_field(layers) == C.impulse_receptive_field(layers), layers


def test_receptive_field_textbook_values() -> None:
    assert receptive_field([{"kernel_size": 3}] * 2) == (5, 1)
    assert receptive_field([{"kernel_size": 3, "strides": 2}, {"kernel_size": 3}]) == (7, 2)
    assert receptive_field([{"kernel_size": 3, "dilation_rate": 2}]) == (5, 1)
    assert receptive_field([]) == (1, 1)


def test_conv_stack_equals_a_direct_transcription_of_the_sum() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 6, 5, 3))
    k1, b1 = rng.normal(size=(3, 2, 3, 4)), rng.normal(size=4)
    k2, b2 = rng.normal(size=(2, 2, 4, 2)), rng.normal(size=2)
    got = conv_stack(x, [(k1, b1, "relu"), (k2, b2, None)])
    h1 = np.zeros((2, 4, 4, 4))
    for n, i, j, o in np.ndindex(*h1.shape):
        h1[n, i, j, o] = max(b1[o] + np.sum(x[n, i : i + 3, j : j + 2, :] * k1[..., o]), 0.0)
    h2 = np.zeros((2, 3, 3, 2))
    for n, i, j, o in np.ndindex(*h2.shape):
        h2[n, i, j, o] = b2[o] + np.sum(h1[n, i : i + 2, j : j + 2, :] * k2[..., o])
    np.testing.assert_allclose(got, h2, rtol=1e-12, atol=1e-12)


def test_average_pool_same_counts_real_pixels_only() -> None:
    x = np.arange(9.0).reshape(1, 3, 3, 1)
    got = avg_pool2d(x, 2, padding="same")[0, :, :, 0]
    np.testing.assert_allclose(got, [[2.0, 3.5], [6.5, 8.0]])


def test_max_pool_same_keeps_negative_border_values() -> None:
    x = -np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    np.testing.assert_allclose(max_pool2d(x, 2, padding="same")[0, :, :, 0], [[-1.0, -3.0], [-7.0, -9.0]])


def test_cnn_forward_rows_are_probabilities() -> None:
    for x, weights, spec in C.forward_cases("cnn_forward_network", 4):
        p = cnn_forward(x, weights, spec)
        assert p.shape == (len(x), weights[-1].shape[0])
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


# -- against Keras ---------------------------------------------------------------------------------

ACTIVATIONS = {None: None, "linear": "linear", "relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid"}


@pytest.mark.slow
def test_conv_stack_equals_keras_conv2d_stack_on_hidden_cases(keras: ModuleType) -> None:
    for images, layers in C.conv_stack_cases("conv_stack_values", 12) + C.conv_stack_cases(
            "conv_stack_inputs", 6, typed=True):
        x = np.asarray(images, dtype=np.float32)
        model = keras.Sequential([keras.Input(shape=x.shape[1:])])
        for kernel, bias, activation in layers:
            model.add(keras.layers.Conv2D(kernel.shape[3], kernel.shape[:2], activation=ACTIVATIONS[activation],
                                          use_bias=bias is not None))
        weights = [w for kernel, bias, _ in layers for w in ((kernel,) if bias is None else (kernel, bias))]
        model.set_weights(weights)
        np.testing.assert_allclose(conv_stack(images, layers), model(x).numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pools_equal_keras_on_hidden_cases(keras: ModuleType, padding: str) -> None:
    for case in C.pool_cases(f"max_pool2d_{padding}", 10, padding) + C.pool_cases(f"avg_pool2d_{padding}", 10, padding):
        x = case["x"]
        kwargs = {"strides": case.get("strides"), "padding": padding}
        want_max = keras.layers.MaxPooling2D(case["pool_size"], **kwargs)(x.astype(np.float32)).numpy()
        want_avg = keras.layers.AveragePooling2D(case["pool_size"], **kwargs)(x.astype(np.float32)).numpy()
        np.testing.assert_allclose(max_pool2d(**case), want_max, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(avg_pool2d(**case), want_avg, rtol=1e-5, atol=1e-6)


def _all_spec_cases() -> list[tuple[tuple[int, int, int], list[dict]]]:
    return (C.spec_cases("output_shapes_conv", 6, flatten=False) + C.spec_cases("output_shapes_network", 8)
            + C.spec_cases("count_params_conv", 6, flatten=False) + C.spec_cases("count_params_network", 8)
            + C.spec_cases("build_model_layers", 6))


@pytest.mark.slow
def test_shapes_and_params_equal_keras_models_on_hidden_cases(keras: ModuleType) -> None:
    for input_shape, spec in _all_spec_cases() + [((100, 100, 3), LAB_SPEC)]:
        model = build_model(input_shape, spec, 4)
        layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
        assert len(layers) == len(spec) + 1
        want = [tuple(layer.output.shape[1:]) for layer in layers[:-1]]
        assert output_shapes(input_shape, spec) == want, spec
        per_layer = C.layer_params(input_shape, spec)
        assert per_layer == [layer.count_params() for layer in layers[:-1]], spec
        assert count_params(input_shape, spec) == model.count_params() - layers[-1].count_params()


@pytest.mark.slow
def test_cnn_forward_equals_model_predict_on_hidden_cases(keras: ModuleType) -> None:
    for x, weights, spec in C.forward_cases("cnn_forward_conv", 5) + C.forward_cases("cnn_forward_network", 8):
        model = build_model(x.shape[1:], spec, weights[-1].shape[0])
        model.set_weights(weights)
        np.testing.assert_allclose(cnn_forward(x, weights, spec), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_receptive_field_equals_impulse_response_of_keras_stacks(keras: ModuleType) -> None:
    """An impulse at input pixel p changes output unit 0 exactly when p is in its receptive field."""
    rng = np.random.default_rng(9)
    for layers in C.receptive_field_cases("keras_impulse", 6):
        size, jump = receptive_field(layers)
        width = size + 2 * jump + 4
        model = keras.Sequential([keras.Input(shape=(width, 1, 1))])
        for layer in layers:
            k, s, d = layer.get("kernel_size", 1), layer.get("strides", 1), layer.get("dilation_rate", 1)
            if s > 1 and d > 1:  # Keras refuses both at once: a stride-1 dilated conv, then a 1-tap stride
                model.add(keras.layers.Conv2D(1, (k, 1), dilation_rate=(d, 1), use_bias=False, kernel_initializer="ones"))
                model.add(keras.layers.Conv2D(1, (1, 1), strides=(s, 1), use_bias=False, kernel_initializer="ones"))
            else:
                model.add(keras.layers.Conv2D(1, (k, 1), strides=(s, 1), dilation_rate=(d, 1), use_bias=False,
                                              kernel_initializer="ones"))
        impulses = np.zeros((width, width, 1, 1), dtype=np.float32)
        impulses[np.arange(width), np.arange(width), 0, 0] = 1.0 + rng.random(width).astype(np.float32)
        out = model(impulses).numpy()[:, :, 0, 0]  # out[p, u]: output unit u for an impulse at pixel p
        seen0, seen1 = np.flatnonzero(out[:, 0]), np.flatnonzero(out[:, 1])
        assert seen0.max() - seen0.min() + 1 == size, layers
        assert seen1.min() - seen0.min() == jump, layers
