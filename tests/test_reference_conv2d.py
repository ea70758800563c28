"""Tests proving the reference solutions of 03_conv2d correct.

Each function is compared with an independent oracle: ``scipy.signal.convolve2d`` /
``correlate2d``, ``scipy.ndimage.sobel``, ``keras.layers.Conv2D``, ``tf.nn.conv2d``, or a
brute-force transcription of the definition. Tests that import TensorFlow are marked ``slow``.
"""

from __future__ import annotations

import itertools
import os
from types import ModuleType

import numpy as np
import pytest
from scipy import ndimage, signal

from solutions.conv2d import (
    box_kernel,
    conv2d,
    conv2d_im2col,
    conv2d_layer,
    correlate2d,
    edge_map,
    filter_bank_tf,
    gaussian_kernel,
    gradient_magnitude,
    im2col,
    laplacian_kernel,
    sharpen_kernel,
    sobel_kernels,
)

MODES = ("full", "same", "valid")
TIGHT = {"rtol": 1e-12, "atol": 1e-12}
SIZES = range(1, 6)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20260311)


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    """Keras, imported lazily so the fast tests never load TensorFlow.

    TensorFlow 2.21's oneDNN kernels return wrong values for some strided convolutions with a
    batch of more than one image (e.g. x (2, 5, 4, 1), kernel (3, 3, 1, 3), strides (1, 2),
    'valid': errors of order 1, sometimes 1e36). The oracle asks for oneDNN off, which only works if
    TensorFlow was not imported earlier in this process, so the comparison also feeds Keras one
    image at a time (batches of one are computed correctly either way).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import keras

    return keras


def _brute_conv(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The full convolution straight from its definition, one output at a time."""
    (h, w), (kh, kw) = x.shape, k.shape
    out = np.zeros((h + kh - 1, w + kw - 1))
    for i, j in np.ndindex(out.shape):
        for a, b in np.ndindex(k.shape):
            if 0 <= i - a < h and 0 <= j - b < w:
                out[i, j] += x[i - a, j - b] * k[a, b]
    return out


# ----------------------------------------------------------------------------- conv2d, correlate2d


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("ours", "scipy_fn"), [(conv2d, signal.convolve2d), (correlate2d, signal.correlate2d)],
                         ids=["conv2d", "correlate2d"])
def test_matches_scipy_on_all_small_sizes(rng, ours, scipy_fn, mode):
    """Every image and kernel shape up to 5x5, kernels larger than the image included."""
    for h, w, kh, kw in itertools.product(SIZES, repeat=4):
        x, k = rng.standard_normal((h, w)), rng.standard_normal((kh, kw))
        try:
            expected = scipy_fn(x, k, mode)
        except ValueError:
            # 'valid' with a kernel larger along one axis only: scipy refuses, so must we.
            with pytest.raises(ValueError):
                ours(x, k, mode)
            continue
        got = ours(x, k, mode)
        assert got.shape == expected.shape, f"{(h, w)} {(kh, kw)} {mode}"
        np.testing.assert_allclose(got, expected, **TIGHT, err_msg=f"{(h, w)} {(kh, kw)} {mode}")


def test_conv2d_equals_brute_force_definition(rng):
    for _ in range(20):
        x = rng.standard_normal(tuple(rng.integers(1, 7, 2)))
        k = rng.standard_normal(tuple(rng.integers(1, 5, 2)))
        np.testing.assert_allclose(conv2d(x, k), _brute_conv(x, k), **TIGHT)


def test_correlate2d_is_convolution_with_rotated_kernel(rng):
    x, k = rng.standard_normal((6, 7)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(correlate2d(x, k), conv2d(x, k[::-1, ::-1]), **TIGHT)


def test_same_window_differs_for_even_kernels(rng):
    """The trap the graders name: correlate2d's 'same' is not conv2d's 'same' with a flipped kernel."""
    x, k = rng.standard_normal((6, 7)), rng.standard_normal((2, 4))
    assert not np.allclose(correlate2d(x, k, "same"), conv2d(x, k[::-1, ::-1], "same"))
    k3 = rng.standard_normal((3, 3))
    np.testing.assert_allclose(correlate2d(x, k3, "same"), conv2d(x, k3[::-1, ::-1], "same"), **TIGHT)


def test_impulse_response(rng):
    impulse = np.zeros((7, 8))
    impulse[3, 4] = 1.0
    k = rng.standard_normal((3, 3))
    np.testing.assert_allclose(conv2d(impulse, k, "same")[2:5, 3:6], k, **TIGHT)
    np.testing.assert_allclose(correlate2d(impulse, k, "same")[2:5, 3:6], k[::-1, ::-1], **TIGHT)


@pytest.mark.parametrize("fn", [conv2d, correlate2d])
def test_uint8_does_not_wrap(fn, rng):
    x = rng.integers(150, 256, (5, 6)).astype(np.uint8)
    k = np.ones((3, 3), dtype=np.uint8)
    got = fn(x, k, "same")
    assert got.dtype == np.float64
    scipy_fn = signal.convolve2d if fn is conv2d else signal.correlate2d
    np.testing.assert_allclose(got, scipy_fn(x.astype(float), k.astype(float), "same"), **TIGHT)
    # scipy itself wraps on uint8 inputs, which is why expected values come from floats.
    assert not np.allclose(scipy_fn(x, k, "same"), got)


def test_lists_and_ints_accepted():
    got = conv2d([[1, 2], [3, 4]], [[1, 0], [0, -1]])
    np.testing.assert_allclose(got, [[1, 2, 0], [3, 3, -2], [0, -3, -4]])
    assert got.dtype == np.float64


def test_unknown_mode_raises():
    with pytest.raises(ValueError):
        conv2d(np.ones((3, 3)), np.ones((2, 2)), "circular")


# ----------------------------------------------------------------------------- conv2d_layer


def _brute_layer(x, k, bias, strides, padding):
    """Explicit loops over batch, output pixels, taps and channels, with TF's padding rule."""
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = x.shape
    kh, kw, _, c_out = k.shape
    if padding == "same":
        out_h, out_w = -(-h // sh), -(-w // sw)
        top = max((out_h - 1) * sh + kh - h, 0) // 2
        left = max((out_w - 1) * sw + kw - w, 0) // 2
    else:
        out_h, out_w, top, left = (h - kh) // sh + 1, (w - kw) // sw + 1, 0, 0
    y = np.zeros((n, out_h, out_w, c_out))
    for b, i, j, o in np.ndindex(y.shape):
        total = 0.0 if bias is None else bias[o]
        for a, e, c in np.ndindex(kh, kw, c_in):
            r, s = i * sh + a - top, j * sw + e - left
            if 0 <= r < h and 0 <= s < w:
                total += x[b, r, s, c] * k[a, e, c, o]
        y[b, i, j, o] = total
    return y


def _layer_cases(rng, count):
    for i in range(count):
        n, h, w = int(rng.integers(1, 4)), int(rng.integers(3, 10)), int(rng.integers(3, 10))
        c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        kh, kw = int(rng.integers(1, min(h, 5) + 1)), int(rng.integers(1, min(w, 5) + 1))
        strides = int(rng.integers(1, 4)) if i % 2 else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        yield (rng.standard_normal((n, h, w, c_in)), rng.standard_normal((kh, kw, c_in, c_out)),
               rng.standard_normal(c_out) if i % 3 else None, strides, ("valid", "same")[i % 2])


def test_conv2d_layer_equals_brute_force(rng):
    for x, k, bias, strides, padding in _layer_cases(rng, 40):
        np.testing.assert_allclose(conv2d_layer(x, k, bias, strides, padding),
                                   _brute_layer(x, k, bias, strides, padding), **TIGHT)


def test_conv2d_layer_activations(rng):
    x, k, b = rng.standard_normal((2, 5, 6, 2)), rng.standard_normal((3, 2, 2, 3)), rng.standard_normal(3)
    z = conv2d_layer(x, k, b)
    np.testing.assert_allclose(conv2d_layer(x, k, b, activation="relu"), np.maximum(z, 0), **TIGHT)
    np.testing.assert_allclose(conv2d_layer(x, k, b, activation="sigmoid"), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(conv2d_layer(x, k, b, activation="tanh"), np.tanh(z), **TIGHT)
    np.testing.assert_allclose(conv2d_layer(x, k, b, activation="linear"), z, **TIGHT)
    np.testing.assert_allclose(conv2d_layer(x, k, b, activation=np.square), z**2, **TIGHT)
    # The sigmoid never overflows.
    assert np.all(np.isfinite(conv2d_layer(x * 1e4, k, b, activation="sigmoid")))


@pytest.mark.slow
def test_conv2d_layer_equals_keras_conv2d(rng, keras):
    for i, (x, k, bias, strides, padding) in enumerate(_layer_cases(rng, 30)):
        activation = [None, "relu", "sigmoid", "tanh"][i % 4]
        x32, k32 = x.astype(np.float32), k.astype(np.float32)
        layer = keras.layers.Conv2D(k.shape[3], k.shape[:2], strides=strides, padding=padding,
                                    activation=activation, use_bias=bias is not None)
        layer.build(x.shape)
        layer.set_weights([k32] + ([bias.astype(np.float32)] if bias is not None else []))
        expected = np.concatenate([np.asarray(layer(x32[n : n + 1])) for n in range(len(x32))])
        got = conv2d_layer(x32, k32, bias, strides, padding, activation)
        assert got.shape == expected.shape, f"case {i}"
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4, err_msg=f"case {i}")


# ----------------------------------------------------------------------------- im2col


def test_im2col_rows_are_flattened_windows(rng):
    x = rng.standard_normal((2, 7, 8, 3))
    patches = im2col(x, 3, 2, strides=(2, 3))
    assert patches.shape == (2, 3, 3, 18)
    for n, i, j in np.ndindex(patches.shape[:3]):
        np.testing.assert_array_equal(patches[n, i, j], x[n, 2 * i:2 * i + 3, 3 * j:3 * j + 2, :].reshape(-1))


def test_im2col_times_reshaped_kernel_is_the_layer(rng):
    for x, k, bias, strides, _ in _layer_cases(rng, 20):
        kh, kw, c_in, c_out = k.shape
        expected = conv2d_layer(x, k, bias, strides, "valid")
        via_patches = im2col(x, kh, kw, strides) @ k.reshape(-1, c_out) + (0 if bias is None else bias)
        np.testing.assert_allclose(via_patches, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(conv2d_im2col(x, k, bias, strides), expected, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- filters


def test_box_kernel():
    for k in range(1, 8):
        box = box_kernel(k)
        assert box.shape == (k, k) and np.allclose(box, box[0, 0]) and abs(box.sum() - 1) < 1e-12


@pytest.mark.parametrize(("size", "sigma"), [(1, 1.0), (2, 0.7), (3, 1.0), (4, 1.3), (7, 2.0), (8, 0.5)])
def test_gaussian_kernel(size, sigma):
    g = gaussian_kernel(size, sigma)
    assert g.shape == (size, size) and abs(g.sum() - 1) < 1e-12
    # Symmetric for every size (the centre is (size - 1) / 2), separable, with sigma the std.
    np.testing.assert_allclose(g, g[::-1, ::-1], **TIGHT)
    np.testing.assert_allclose(g, g.T, **TIGHT)
    r = np.arange(size) - (size - 1) / 2
    one_d = np.exp(-(r**2) / (2 * sigma**2))
    np.testing.assert_allclose(g, np.outer(one_d, one_d) / one_d.sum() ** 2, **TIGHT)


def test_sobel_signs_on_ramps():
    gx, gy = sobel_kernels()
    np.testing.assert_array_equal(gx, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(gy, gx.T)
    grows_right = np.tile(np.arange(8.0), (6, 1))
    assert (correlate2d(grows_right, gx, "valid") > 0).all() and (correlate2d(grows_right, gy, "valid") == 0).all()
    assert (correlate2d(grows_right.T, gy, "valid") > 0).all()


def test_laplacian_and_sharpen():
    lap = laplacian_kernel()
    np.testing.assert_array_equal(lap, [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    ramp = np.add.outer(np.arange(6.0), 2 * np.arange(7.0))
    np.testing.assert_allclose(correlate2d(ramp, lap, "valid"), 0, atol=1e-12)
    identity = np.zeros((3, 3))
    identity[1, 1] = 1
    np.testing.assert_array_equal(sharpen_kernel(0.0), identity)
    np.testing.assert_allclose(sharpen_kernel(), identity - lap, **TIGHT)
    np.testing.assert_allclose(sharpen_kernel(2.5), identity - 2.5 * lap, **TIGHT)
    assert abs(sharpen_kernel(0.3).sum() - 1) < 1e-12


def test_gradient_magnitude_matches_scipy_ndimage_sobel(rng):
    from skimage import data

    for image in [rng.standard_normal((9, 12)), data.camera()[100:164, 200:248], data.coins()[:40, :50]]:
        x = np.asarray(image, dtype=float)
        # ndimage.sobel correlates with [-1, 0, 1] along `axis` and smooths with [1, 2, 1] across it.
        gx = ndimage.sobel(x, axis=1, mode="constant", cval=0.0)
        gy = ndimage.sobel(x, axis=0, mode="constant", cval=0.0)
        np.testing.assert_allclose(gradient_magnitude(image), np.hypot(gx, gy), rtol=1e-12, atol=1e-9)


def test_edge_map_is_strict():
    step = np.zeros((6, 8), dtype=np.uint8)
    step[:, 4:] = 10
    inner = gradient_magnitude(step)[1:-1, 3:5]
    np.testing.assert_array_equal(inner, 40.0)
    edges = edge_map(step, 40.0)
    assert edges.dtype == bool and not edges[1:-1, 3:5].any()
    assert edge_map(step, 39.9)[1:-1, 3:5].all()


@pytest.mark.slow
def test_filter_bank_tf_equals_scipy_correlation(rng):
    for shape, kshape in [((9, 11), (3, 3, 3)), ((8, 10), (2, 4, 4)), ((7, 6), (4, 2, 5)), ((5, 5), (1, 1, 1))]:
        image, kernels = rng.standard_normal(shape), rng.standard_normal(kshape)
        got = filter_bank_tf(image, kernels)
        assert got.shape == (*shape, kshape[0])
        for k in range(kshape[0]):
            np.testing.assert_allclose(got[:, :, k], signal.correlate2d(image, kernels[k], "same"), rtol=1e-5, atol=1e-5)
