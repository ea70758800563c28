"""Tests proving the reference solutions of 02_conv1d correct.

Each function is compared with an independent oracle: NumPy (``np.convolve``,
``np.correlate``), ``keras.layers.Conv1D``, closed-form continuous convolutions,
or a brute-force transcription of the definition. Keras tests are marked ``slow``.
"""

import itertools
import math
import os
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest

from solutions.conv1d import (
    conv1d,
    conv1d_layer,
    conv1d_output_length,
    conv_matrix,
    convolve_functions,
    correlate1d,
    moving_average,
)

MODES = ("full", "same", "valid")
LENGTHS = range(1, 13)
# The reference sums float64 products in a different order from NumPy, so only
# rounding-level differences are allowed.
TIGHT = {"rtol": 1e-12, "atol": 1e-12}


@pytest.fixture
def rng() -> np.random.Generator:
    """Fresh fixed-seed generator, so every test is reproducible on its own."""
    return np.random.default_rng(20250202)


@pytest.fixture(scope="module")
def keras() -> ModuleType:
    """Keras, imported lazily so that the fast tests never load TensorFlow."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def _all_size_pairs() -> list[tuple[int, int]]:
    """Every (signal length, kernel length) in 1..12, kernels longer than signals included."""
    return list(itertools.product(LENGTHS, LENGTHS))


# ----------------------------------------------------------------------------- conv1d


@pytest.mark.parametrize("mode", MODES)
def test_conv1d_matches_np_convolve_on_all_sizes(rng: np.random.Generator, mode: str) -> None:
    for n, m in _all_size_pairs():
        x, w = rng.standard_normal(n), rng.standard_normal(m)
        expected = np.convolve(x, w, mode)
        got = conv1d(x, w, mode)
        assert got.shape == expected.shape, f"n={n}, m={m}, mode={mode}: shape {got.shape}"
        np.testing.assert_allclose(got, expected, **TIGHT, err_msg=f"n={n}, m={m}, mode={mode}")


def test_conv1d_default_mode_is_full(rng: np.random.Generator) -> None:
    x, w = rng.standard_normal(7), rng.standard_normal(4)
    np.testing.assert_allclose(conv1d(x, w), np.convolve(x, w, "full"), **TIGHT)


def test_conv1d_visible_example() -> None:
    np.testing.assert_allclose(conv1d([1, 2, 3], [0, 1, 0.5]), [0.0, 1.0, 2.5, 4.0, 1.5])


@pytest.mark.parametrize("mode", MODES)
def test_conv1d_integer_inputs_give_exact_floats(rng: np.random.Generator, mode: str) -> None:
    # Integer products are exact in float64, so equality must be exact too; the
    # half-integer kernel would be truncated by an integer accumulator.
    for n, m in _all_size_pairs():
        x = rng.integers(-9, 10, n)
        w = rng.integers(-9, 10, m) + 0.5
        got = conv1d(x, w, mode)
        assert got.dtype == np.float64, f"dtype {got.dtype} for integer input"
        np.testing.assert_array_equal(got, np.convolve(x.astype(float), w, mode))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16])
def test_conv1d_small_integer_types_do_not_overflow(rng: np.random.Generator, dtype: type) -> None:
    # Products and sums of these types wrap around unless the inputs are converted to float first.
    info = np.iinfo(dtype)
    x = rng.integers(info.max // 2, info.max, 9, endpoint=True).astype(dtype)
    w = np.full(3, 3, dtype=dtype)
    np.testing.assert_array_equal(conv1d(x, w, "full"), np.convolve(x.astype(float), w.astype(float)))


def test_conv1d_int_arrays_return_float64() -> None:
    got = conv1d(np.array([1, 2, 3]), np.array([1, -1]), "full")
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    np.testing.assert_array_equal(got, [1.0, 1.0, 1.0, -3.0])


def test_conv1d_accepts_lists() -> None:
    got = conv1d([1.0, 2.0, 3.0, 4.0], [1.0, 2.0], "valid")
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    np.testing.assert_allclose(got, np.convolve([1.0, 2.0, 3.0, 4.0], [1.0, 2.0], "valid"))


@pytest.mark.parametrize("mode", MODES)
def test_conv1d_float32_inputs_are_computed_in_float64(rng: np.random.Generator, mode: str) -> None:
    x = rng.standard_normal(11).astype(np.float32)
    w = rng.standard_normal(4).astype(np.float32)
    got = conv1d(x, w, mode)
    assert got.dtype == np.float64
    # The float64 oracle on the same float32 values: float32 accumulation would miss by ~1e-7.
    np.testing.assert_allclose(got, np.convolve(x.astype(np.float64), w.astype(np.float64), mode),
                               **TIGHT)


@pytest.mark.parametrize("mode", MODES)
def test_conv1d_length_one_inputs(mode: str) -> None:
    np.testing.assert_allclose(conv1d([3.0], [2.0], mode), [6.0])
    np.testing.assert_allclose(conv1d([3.0], [1.0, 2.0, 4.0], mode),
                               np.convolve([3.0], [1.0, 2.0, 4.0], mode))
    np.testing.assert_allclose(conv1d([1.0, 2.0, 4.0], [3.0], mode), [3.0, 6.0, 12.0])


def test_conv1d_is_commutative(rng: np.random.Generator) -> None:
    for n, m in _all_size_pairs():
        x, w = rng.standard_normal(n), rng.standard_normal(m)
        for mode in MODES:
            np.testing.assert_allclose(conv1d(x, w, mode), conv1d(w, x, mode), **TIGHT)


@pytest.mark.parametrize(("x", "w", "mode"), [([1.0], [1.0], "middle"), ([], [1.0], "full"),
                                              ([1.0], [], "full"), ([[1.0]], [1.0], "full")])
def test_conv1d_rejects_invalid_arguments(x: list, w: list, mode: str) -> None:
    with pytest.raises(ValueError):
        conv1d(x, w, mode)


# ------------------------------------------------------------------------ correlate1d


@pytest.mark.parametrize("mode", MODES)
def test_correlate1d_matches_np_correlate_on_all_sizes(rng: np.random.Generator, mode: str) -> None:
    for n, m in _all_size_pairs():
        x, w = rng.standard_normal(n), rng.standard_normal(m)
        expected = np.correlate(x, w, mode)
        got = correlate1d(x, w, mode)
        assert got.shape == expected.shape, f"n={n}, m={m}, mode={mode}: shape {got.shape}"
        np.testing.assert_allclose(got, expected, **TIGHT, err_msg=f"n={n}, m={m}, mode={mode}")


def test_correlate1d_default_mode_is_valid(rng: np.random.Generator) -> None:
    x, w = rng.standard_normal(9), rng.standard_normal(3)
    np.testing.assert_allclose(correlate1d(x, w), np.correlate(x, w, "valid"), **TIGHT)


def test_correlate1d_same_with_longer_kernel_drops_the_extra_sample_on_the_left() -> None:
    # Full correlation of [1, 2] with [1, 2, 3] is [3, 8, 5, 2]; np.correlate keeps [8, 5, 2],
    # whereas the "obvious" window (as for conv1d) would be [3, 8, 5].
    np.testing.assert_array_equal(correlate1d([1, 2], [1, 2, 3], "same"), [8.0, 5.0, 2.0])


def test_correlate1d_swapping_arguments_reverses_the_output(rng: np.random.Generator) -> None:
    for n, m in _all_size_pairs():
        x, w = rng.standard_normal(n), rng.standard_normal(m)
        for mode in ("full", "valid"):
            np.testing.assert_allclose(correlate1d(w, x, mode), correlate1d(x, w, mode)[::-1],
                                       **TIGHT)


def test_correlate1d_is_convolution_with_flipped_kernel(rng: np.random.Generator) -> None:
    for n, m in _all_size_pairs():
        x, w = rng.standard_normal(n), rng.standard_normal(m)
        np.testing.assert_allclose(correlate1d(x, w, "full"), conv1d(x, w[::-1], "full"), **TIGHT)


@pytest.mark.parametrize("mode", MODES)
def test_correlate1d_integer_and_list_inputs(rng: np.random.Generator, mode: str) -> None:
    # A half-integer kernel exposes integer truncation; a uint8 signal exposes overflow.
    x, w = rng.integers(-9, 10, 6), rng.integers(-9, 10, 8) + 0.5
    got = correlate1d(x.tolist(), w, mode)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, np.correlate(x.astype(float), w, mode))
    x8 = rng.integers(128, 256, 7).astype(np.uint8)
    np.testing.assert_array_equal(correlate1d(x8, x8[:3], mode),
                                  np.correlate(x8.astype(float), x8[:3].astype(float), mode))


def test_correlate1d_rejects_unknown_mode() -> None:
    with pytest.raises(ValueError):
        correlate1d([1.0, 2.0], [1.0], "middle")


# ------------------------------------------------------------------------ conv_matrix


@pytest.mark.parametrize("mode", MODES)
def test_conv_matrix_reproduces_conv1d(rng: np.random.Generator, mode: str) -> None:
    for n, m in _all_size_pairs():
        w = rng.standard_normal(m)
        matrix = conv_matrix(w, n, mode)
        expected_rows = len(np.convolve(np.ones(n), w, mode))
        assert matrix.shape == (expected_rows, n), f"n={n}, m={m}, mode={mode}: {matrix.shape}"
        assert matrix.dtype == np.float64
        for _ in range(3):
            x = rng.standard_normal(n)
            np.testing.assert_allclose(matrix @ x, conv1d(x, w, mode), **TIGHT,
                                       err_msg=f"n={n}, m={m}, mode={mode}")


@pytest.mark.parametrize("mode", MODES)
def test_conv_matrix_is_toeplitz(rng: np.random.Generator, mode: str) -> None:
    # Shift invariance of convolution: every diagonal of the matrix is constant.
    matrix = conv_matrix(rng.standard_normal(4), 9, mode)
    np.testing.assert_array_equal(matrix[1:, 1:], matrix[:-1, :-1])


def test_conv_matrix_full_example() -> None:
    expected = [[1.0, 0.0, 0.0], [2.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 2.0]]
    np.testing.assert_array_equal(conv_matrix([1, 2], 3, "full"), expected)


# --------------------------------------------------------------- conv1d_output_length


def _count_windows(n: int, k: int, stride: int, padding: int, dilation: int) -> int:
    """Count by brute force the kernel placements that fit in the padded input."""
    padded, span = n + 2 * padding, dilation * (k - 1) + 1
    return sum(1 for start in range(0, max(padded, 0), stride) if start + span <= padded)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10, 3), 8),
        ((10, 3, 2), 4),
        ((10, 3, 1, 1), 10),
        ((10, 3, 1, 0, 2), 6),
        ((7, 4, 3, 2, 1), 3),
        ((5, 5), 1),
        ((4, 5), 0),  # kernel longer than input: empty output, not a negative length
        ((2, 3, 1, 0, 3), 0),
        ((0, 1), 0),
    ],
)
def test_conv1d_output_length_known_values(args: tuple[int, ...], expected: int) -> None:
    got = conv1d_output_length(*args)
    assert type(got) is int, f"returned {type(got).__name__}, not int"
    assert got == expected


def test_conv1d_output_length_counts_kernel_placements() -> None:
    for n, k, stride, padding, dilation in itertools.product(range(13), range(1, 6), range(1, 4),
                                                             range(3), range(1, 4)):
        assert conv1d_output_length(n, k, stride, padding, dilation) == _count_windows(
            n, k, stride, padding, dilation
        ), f"n={n}, k={k}, stride={stride}, padding={padding}, dilation={dilation}"


@pytest.mark.slow
def test_conv1d_output_length_matches_keras(keras: ModuleType) -> None:
    for n, k, stride, padding, dilation in itertools.product(range(1, 11), range(1, 5), range(1, 4),
                                                             range(3), range(1, 4)):
        if stride > 1 and dilation > 1:
            continue  # refused by Keras, see test_keras_refuses_stride_with_dilation
        layer = keras.layers.Conv1D(1, k, strides=stride, dilation_rate=dilation)
        ours = conv1d_output_length(n, k, stride, padding, dilation)
        # Explicit symmetric padding is a "valid" convolution of the zero-padded input.
        if ours == 0:
            with pytest.raises(ValueError):
                layer.compute_output_shape((1, n + 2 * padding, 1))
        else:
            assert layer.compute_output_shape((1, n + 2 * padding, 1))[1] == ours


def test_conv1d_output_length_rejects_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        conv1d_output_length(5, 0)
    with pytest.raises(ValueError):
        conv1d_output_length(5, 2, stride=0)


# ----------------------------------------------------------------------- conv1d_layer


def _brute_force_layer(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None, stride: int,
                       left: int, right: int, dilation: int) -> np.ndarray:
    """Transcribe the cross-correlation definition with one loop per index.

    Shapes: x (batch, steps, c_in), kernel (k, c_in, c_out) -> (batch, out_steps, c_out).
    """
    batch, steps, c_in = x.shape
    k, _, c_out = kernel.shape
    padded = np.zeros((batch, left + steps + right, c_in))
    padded[:, left:left + steps] = x
    out_steps = conv1d_output_length(left + steps + right, k, stride, 0, dilation)
    y = np.zeros((batch, out_steps, c_out))
    for b, t, o in itertools.product(range(batch), range(out_steps), range(c_out)):
        y[b, t, o] = sum(padded[b, t * stride + i * dilation, c] * kernel[i, c, o]
                         for i in range(k) for c in range(c_in))
        if bias is not None:
            y[b, t, o] += bias[o]
    return y


def _keras_combinations() -> list[tuple[str, int, int]]:
    """Every (padding, stride, dilation) with stride, dilation in 1..3 that Keras accepts."""
    return [(p, s, d) for p in ("valid", "same", "causal") for s in (1, 2, 3) for d in (1, 2, 3)
            if s == 1 or d == 1]


@pytest.mark.slow
@pytest.mark.parametrize(("padding", "stride", "dilation"), _keras_combinations())
def test_conv1d_layer_matches_keras(keras: ModuleType, rng: np.random.Generator, padding: str,
                                    stride: int, dilation: int) -> None:
    for k, steps, use_bias in itertools.product((1, 2, 3, 4), (1, 2, 5, 8, 9), (True, False)):
        if padding == "valid" and (k - 1) * dilation + 1 > steps:
            continue  # Keras raises when the output would be empty
        c_in, c_out = (int(c) for c in rng.integers(1, 5, 2))
        x = rng.standard_normal((2, steps, c_in))
        kernel = rng.standard_normal((k, c_in, c_out))
        bias = rng.standard_normal(c_out) if use_bias else None
        # float64 layer: the comparison is then at rounding level, not float32 level.
        layer = keras.layers.Conv1D(c_out, k, strides=stride, padding=padding,
                                    dilation_rate=dilation, use_bias=use_bias, dtype="float64")
        layer.build(x.shape)
        layer.set_weights([kernel, bias] if use_bias else [kernel])
        expected = keras.ops.convert_to_numpy(layer(x))
        got = conv1d_layer(x, kernel, bias, stride, padding, dilation)
        case = f"k={k}, steps={steps}, bias={use_bias}, c_in={c_in}, c_out={c_out}"
        assert got.shape == expected.shape, f"{case}: shape {got.shape} != {expected.shape}"
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, expected, **TIGHT, err_msg=case)


@pytest.mark.slow
def test_keras_refuses_stride_with_dilation(keras: ModuleType) -> None:
    # Documents why stride > 1 with dilation > 1 is checked against the definition only;
    # if Keras starts accepting it, add those combinations to test_conv1d_layer_matches_keras.
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.Conv1D(1, 3, strides=2, dilation_rate=2)


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_conv1d_layer_matches_definition_with_stride_and_dilation(rng: np.random.Generator,
                                                                 padding: str) -> None:
    for k, steps, stride, dilation in itertools.product((1, 2, 3), (4, 7, 10), (2, 3), (2, 3)):
        span = (k - 1) * dilation + 1
        if padding == "valid":
            left = right = 0
        elif padding == "causal":
            left, right = span - 1, 0
        else:
            total = max((math.ceil(steps / stride) - 1) * stride + span - steps, 0)
            left, right = total // 2, total - total // 2
        x = rng.standard_normal((2, steps, 2))
        kernel = rng.standard_normal((k, 2, 3))
        bias = rng.standard_normal(3)
        expected = _brute_force_layer(x, kernel, bias, stride, left, right, dilation)
        got = conv1d_layer(x, kernel, bias, stride, padding, dilation)
        case = f"k={k}, steps={steps}, stride={stride}, dilation={dilation}"
        assert got.shape == expected.shape, f"{case}: shape {got.shape} != {expected.shape}"
        np.testing.assert_allclose(got, expected, **TIGHT, err_msg=case)


def test_conv1d_layer_single_channel_is_correlate1d(rng: np.random.Generator) -> None:
    x, w = rng.standard_normal(12), rng.standard_normal(4)
    got = conv1d_layer(x[None, :, None], w[:, None, None])
    np.testing.assert_allclose(got[0, :, 0], np.correlate(x, w, "valid"), **TIGHT)


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv1d_layer_causal_output_ignores_future_inputs(rng: np.random.Generator,
                                                          stride: int) -> None:
    x = rng.standard_normal((1, 12, 2))
    kernel = rng.standard_normal((3, 2, 2))
    changed = x.copy()
    changed[:, 7:] = rng.standard_normal((1, 5, 2))
    before = conv1d_layer(x, kernel, stride=stride, padding="causal", dilation=1)
    after = conv1d_layer(changed, kernel, stride=stride, padding="causal", dilation=1)
    # Output t sees inputs up to t * stride only, so outputs with t * stride < 7 are unchanged.
    unchanged = [t for t in range(before.shape[1]) if t * stride < 7]
    np.testing.assert_array_equal(before[:, unchanged], after[:, unchanged])
    assert not np.allclose(before, after), "changing future inputs changed nothing at all"


def test_conv1d_layer_bias_is_added_once_per_output() -> None:
    x = np.zeros((2, 6, 3))
    got = conv1d_layer(x, np.ones((3, 3, 2)), bias=np.array([1.5, -2.0]), padding="same")
    np.testing.assert_array_equal(got, np.broadcast_to([1.5, -2.0], (2, 6, 2)))


def test_conv1d_layer_rejects_mismatched_channels() -> None:
    with pytest.raises(ValueError):
        conv1d_layer(np.zeros((1, 5, 2)), np.zeros((3, 3, 1)))


# ----------------------------------------------------------------- convolve_functions
#
# Tolerances. For each t_i the Riemann sum is the rectangle rule applied to the
# integrand h_i(s) = f(s) g(t_i - s) over the grid points; it only sees s inside the
# grid, so the grid must cover the support of f (otherwise the missing mass is lost).
#
# * Boxes of heights a and b: h_i equals a*b on an interval of length L_i (the exact
#   value is a*b*L_i) and 0 elsewhere. A closed, half-open or open interval of length
#   L_i contains between L_i/dt - 1 and L_i/dt + 1 grid points, so
#   |error| <= a * b * dt at every point, whatever the boundary convention: O(dt).
# * Gaussians: h_i is a Gaussian in s with variance s2 = sf^2 sg^2 / (sf^2 + sg^2),
#   the same for every t_i. By the Poisson summation formula the rectangle rule on an
#   infinite uniform grid errs by at most
#   2 * (f*g)(t_i) * sum_{k>=1} q^(k^2) <= 2 q / (1 - q) * (f*g)(t_i),
#   with q = exp(-2 pi^2 s2 / dt^2): exponentially small in 1/dt^2. Grids covering
#   f over more than 11 standard deviations make truncation negligible, and 1e-12
#   absorbs float64 rounding of the sums.


def _box(left: float, width: float, height: float) -> Callable[[np.ndarray], np.ndarray]:
    """Vectorised box function: ``height`` on the closed interval [left, left + width]."""
    return lambda s: np.where((s >= left) & (s <= left + width), height, 0.0)


def _gaussian(mean: float, std: float) -> Callable[[np.ndarray], np.ndarray]:
    """Vectorised normal density with the given mean and standard deviation."""
    return lambda s: np.exp(-0.5 * ((s - mean) / std) ** 2) / (std * math.sqrt(2 * math.pi))


BOX_F = (0.3, 1.0, 2.0)  # left, width, height: support [0.3, 1.3]
BOX_G = (-0.4, 1.0, 0.5)  # support [-0.4, 0.6], off-centre so that g(-s) != g(s)


def _box_box_exact(t: np.ndarray) -> np.ndarray:
    """Exact box * box for equal widths: a triangle centred at left_f + left_g + width."""
    (left_f, width, height_f), (left_g, _, height_g) = BOX_F, BOX_G
    overlap = np.maximum(0.0, width - np.abs(t - (left_f + left_g + width)))
    return height_f * height_g * overlap


@pytest.mark.parametrize("dt", [0.1, 0.037, 0.01])
def test_convolve_functions_box_box_is_triangle(dt: float) -> None:
    t = -1.23 + dt * np.arange(int(5.7 / dt))  # covers supp f = [0.3, 1.3] and the triangle
    got = convolve_functions(_box(*BOX_F), _box(*BOX_G), t)
    assert got.shape == t.shape and got.dtype == np.float64
    bound = BOX_F[2] * BOX_G[2] * dt * (1 + 1e-9)
    error = np.max(np.abs(got - _box_box_exact(t)))
    assert error <= bound, f"dt={dt}: max error {error:.3g} > a*b*dt = {bound:.3g}"


GAUSS_F = (1.5, 0.5)  # mean, std
GAUSS_G = (-0.7, 0.8)


def _gaussian_bound(dt: float, exact: np.ndarray) -> np.ndarray:
    """Poisson-summation bound on the rectangle-rule error, plus rounding slack."""
    variance = GAUSS_F[1] ** 2 * GAUSS_G[1] ** 2 / (GAUSS_F[1] ** 2 + GAUSS_G[1] ** 2)
    q = math.exp(-2 * math.pi**2 * variance / dt**2)
    return 2 * q / (1 - q) * exact * (1 + 1e-9) + 1e-12


@pytest.mark.parametrize("dt", [0.5, 0.3, 0.05])
def test_convolve_functions_gaussians_add_variances(dt: float) -> None:
    t = -4.1 + dt * np.arange(int(11.6 / dt))  # [-4.1, 7.5): f covered over 11 std each side
    got = convolve_functions(_gaussian(*GAUSS_F), _gaussian(*GAUSS_G), t)
    exact = _gaussian(GAUSS_F[0] + GAUSS_G[0], math.hypot(GAUSS_F[1], GAUSS_G[1]))(t)
    error = np.abs(got - exact)
    bound = _gaussian_bound(dt, exact)
    worst = int(np.argmax(error - bound))
    assert np.all(error <= bound), (
        f"dt={dt}: error {error[worst]:.3g} > bound {bound[worst]:.3g} at t={t[worst]:.3f}"
    )


def test_convolve_functions_tolerances_reject_a_mirrored_g() -> None:
    # The tests above must catch g(t_j - t_i) instead of g(t_i - t_j); check that they would.
    dt = 0.05
    t = -4.1 + dt * np.arange(int(11.6 / dt))
    f, g = _gaussian(*GAUSS_F), _gaussian(*GAUSS_G)
    mirrored = (g(t[None, :] - t[:, None]) @ f(t)) * dt
    exact = _gaussian(GAUSS_F[0] + GAUSS_G[0], math.hypot(GAUSS_F[1], GAUSS_G[1]))(t)
    assert np.any(np.abs(mirrored - exact) > _gaussian_bound(dt, exact))


def test_convolve_functions_accepts_constant_function() -> None:
    t = np.linspace(-2.0, 2.0, 401)
    got = convolve_functions(_box(-0.5, 1.0, 1.0), lambda s: np.ones_like(s), t)
    # Convolving with a constant integrates f: the box has area 1 (up to one grid point).
    np.testing.assert_allclose(got, 1.0, atol=t[1] - t[0] + 1e-12)


def test_convolve_functions_rejects_non_uniform_grid() -> None:
    with pytest.raises(ValueError):
        convolve_functions(np.sin, np.cos, np.array([0.0, 0.1, 0.3]))


# --------------------------------------------------------------------- moving_average


def test_moving_average_matches_direct_means(rng: np.random.Generator) -> None:
    for n in LENGTHS:
        x = rng.standard_normal(n)
        for k in range(1, n + 1):
            expected = np.array([x[i:i + k].mean() for i in range(n - k + 1)])
            got = moving_average(x, k)
            assert got.shape == (n - k + 1,), f"n={n}, k={k}: shape {got.shape}"
            np.testing.assert_allclose(got, expected, **TIGHT, err_msg=f"n={n}, k={k}")


def test_moving_average_of_integer_list_is_float() -> None:
    got = moving_average([1, 2, 4, 8], 2)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [1.5, 3.0, 6.0])


def test_moving_average_rejects_window_longer_than_signal() -> None:
    with pytest.raises(ValueError):
        moving_average([1.0, 2.0], 3)
