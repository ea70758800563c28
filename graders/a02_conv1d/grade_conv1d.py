"""Hidden graders of assignment 02_conv1d: one `test_<check id>` per check, its cases in `cases.py`."""

from __future__ import annotations

import pytest

from convlab.checking.banned import expect_without_library
from convlab.checking.calls import describe_call
from convlab.checking.cases import cases
from convlab.checking.pictures import with_signals
from graders.a02_conv1d import cases as C
from graders.a02_conv1d.cases import CHECK

CONV_CASES = C.signal_pairs("conv1d_modes", 24)
CONV_TYPED = C.typed_inputs("conv1d_inputs")
CORR_CASES = C.signal_pairs("correlate1d_modes", 18) + C.typed_inputs("correlate1d_inputs")[:4]
LIBRARY_CASES = {name: [C.signal_pairs(name + "_library", 3)[2]] for name in ("conv1d", "correlate1d")}
MATRIX_CASES = C.matrix_cases()
LENGTH_CASES = C.length_cases()
LAYER_VALID = C.layer_cases("conv1d_layer_valid", ("valid",), False, False, 8)
LAYER_PADDING = C.layer_cases("conv1d_layer_padding", ("same", "causal"), False, False, 10)
LAYER_STRIDED = C.layer_cases("conv1d_layer_stride_dilation", ("valid", "same", "causal"), True, False, 12)
LAYER_BIAS = C.layer_cases("conv1d_layer_bias", ("valid", "same", "causal"), False, True, 8)
FUNCTION_CASES = C.function_cases()
AVERAGE_CASES = C.average_cases()


def _check_library(student, name: str, case: tuple) -> None:
    """Fail on a forbidden call, naming it as written; a wrong value is the value checks' business."""
    x, w, mode = case
    reference = CHECK.reference_of(name)
    expect_without_library(student.defined_functions(), name, student.call(name, x, w, mode=mode),
                           reference(x, w, mode), call=describe_call(name, reference, (x, w), {"mode": mode}),
                           rule="no np.convolve, np.correlate, scipy.signal or TensorFlow")


# -- conv1d ----------------------------------------------------------------------------------------


@cases(CONV_CASES, fresh=lambda rng: C.signal_pairs(rng, 4), kind=C.signal_kind)
def test_conv1d_modes(student, case):
    """conv1d on random float signals in all three modes, with odd, even and longer-than-signal kernels."""
    x, w, mode = case
    CHECK.expect_call(student, "conv1d", x, w, mode=mode, picture=with_signals)


@cases(CONV_TYPED, fresh=lambda rng: C.typed_inputs(rng)[::3], kind=C.signal_kind)
def test_conv1d_inputs(student, case):
    """conv1d accepts lists, int/uint8/float32 arrays and length-1 inputs, and returns a float ndarray."""
    x, w, mode = case
    CHECK.expect_call(student, "conv1d", x, w, mode=mode, rtol=1e-5, atol=1e-5, picture=with_signals,
                      require_ndarray=True, require_float=True)


@pytest.mark.relies_on("conv1d", "conv1d_modes", "conv1d_inputs")
@cases(LIBRARY_CASES["conv1d"], fresh=lambda rng: C.signal_pairs(rng, 3)[2:], kind=lambda case: case[2])
def test_conv1d_no_library(student, case):
    """conv1d is correct without np.convolve, np.correlate, scipy.signal or TensorFlow."""
    _check_library(student, "conv1d", case)


# -- correlate1d -----------------------------------------------------------------------------------


@cases(CORR_CASES, fresh=lambda rng: C.signal_pairs(rng, 3) + C.typed_inputs(rng)[:1], kind=C.signal_kind)
def test_correlate1d_modes(student, case):
    """correlate1d against np.correlate semantics: all modes, kernels longer than the signal, ints and lists."""
    x, w, mode = case
    CHECK.expect_call(student, "correlate1d", x, w, mode=mode, rtol=1e-5, atol=1e-6, picture=with_signals)


@pytest.mark.relies_on("correlate1d", "correlate1d_modes")
@cases(LIBRARY_CASES["correlate1d"], fresh=lambda rng: C.signal_pairs(rng, 3)[2:], kind=lambda case: case[2])
def test_correlate1d_no_library(student, case):
    """correlate1d is correct without np.convolve, np.correlate, scipy.signal or TensorFlow."""
    _check_library(student, "correlate1d", case)


# -- conv_matrix -----------------------------------------------------------------------------------


@cases(MATRIX_CASES, fresh=lambda rng: C.matrix_cases(rng, 3), kind=C.matrix_kind)
def test_conv_matrix_modes(student, case):
    """conv_matrix(w, n, mode) @ x equals conv1d(x, w, mode) for every x of length n."""
    w, n, mode = case
    CHECK.expect_call(student, "conv_matrix", w, n, mode=mode)


# -- conv1d_output_length --------------------------------------------------------------------------


@cases(LENGTH_CASES, fresh=lambda rng: C.length_cases(rng, 4), kind=C.length_kind)
def test_conv1d_output_length_formula(student, case):
    """conv1d_output_length for random n, k, stride, symmetric padding and dilation (0 when nothing fits)."""
    CHECK.expect_call(student, "conv1d_output_length", **case)


# -- conv1d_layer ----------------------------------------------------------------------------------


@cases(LAYER_VALID, fresh=lambda rng: C.layer_cases(rng, ("valid",), False, False, 2), kind=C.layer_kind)
def test_conv1d_layer_valid(student, case):
    """conv1d_layer with 'valid' padding, stride 1, no bias: batches and several channels."""
    CHECK.expect_call(student, "conv1d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_PADDING, fresh=lambda rng: C.layer_cases(rng, ("same", "causal"), False, False, 2), kind=C.layer_kind)
def test_conv1d_layer_padding(student, case):
    """conv1d_layer with 'same' (TensorFlow rule) and 'causal' padding."""
    CHECK.expect_call(student, "conv1d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_STRIDED, fresh=lambda rng: C.layer_cases(rng, ("valid", "same", "causal"), True, False, 3), kind=C.layer_kind)
def test_conv1d_layer_stride_dilation(student, case):
    """conv1d_layer with strides 2-3 or dilations 2-3, in every padding mode."""
    CHECK.expect_call(student, "conv1d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_BIAS, fresh=lambda rng: C.layer_cases(rng, ("valid", "same", "causal"), False, True, 2), kind=C.layer_kind)
def test_conv1d_layer_bias(student, case):
    """conv1d_layer adds one bias per output channel."""
    CHECK.expect_call(student, "conv1d_layer", **case, rtol=1e-4, atol=1e-4)


# -- convolve_functions ----------------------------------------------------------------------------


@cases(FUNCTION_CASES, fresh=lambda rng: C.function_cases(rng, 2), kind=C.function_kind)
def test_convolve_functions_analytic(student, case):
    """convolve_functions against analytic results (box*box = trapezoid, Gaussian*Gaussian = Gaussian) on off-centre grids."""
    f, g, t = case
    dt = float(t[1] - t[0])
    if f.kind == "box":
        # A Riemann sum misses at most one grid cell at each jump of a box: error <= 2·dt·h1·h2.
        atol = 2.5 * dt * f.params["height"] * g.params["height"]
    else:
        # For smooth, well-covered functions the sum converges much faster than dt.
        atol = dt**2
    CHECK.expect_call(student, "convolve_functions", f, g, t, expected=C.analytic(f, g, t), rtol=0.0, atol=atol,
                      picture=with_signals,
                      describe=(f"convolve_functions(f={f.kind}, g={g.kind}, t: {len(t)} points from "
                                f"{t[0]:.2f} with step {dt:g})"))


# -- moving_average --------------------------------------------------------------------------------


@cases(AVERAGE_CASES, fresh=lambda rng: C.average_cases(rng, 3), kind=C.average_kind)
def test_moving_average_values(student, case):
    """moving_average(x, k): the mean of each full window of k samples, for floats, ints and lists."""
    x, k = case
    CHECK.expect_call(student, "moving_average", x, k, picture=with_signals)

