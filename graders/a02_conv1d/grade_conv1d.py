"""Hidden graders of assignment 02_conv1d. One test function per check; cases are parametrized.

Cases are drawn from a seeded generator over sizes, dtypes and modes (never from the notebook's
examples), so a solution tuned to the visible checks fails here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from convlab.checking.banned import expect_without_library
from convlab.checking.cases import cases, rng_for
from convlab.checking.checks import CheckFailure, expect_array, expect_int, mistakes_from
from convlab.checking.pictures import with_signals
from graders.a02_conv1d.mistakes import MISTAKES
from graders.callables import FunctionSpec
from solutions import conv1d as ref

SEED = 20260204
MODES = ("full", "same", "valid")
M = {name: mistakes_from(rows) for name, rows in MISTAKES.items()}


def _rng(source: str | np.random.Generator) -> np.random.Generator:
    """The fixed cases' generator for a name; a submission's generator (fresh cases) passes through."""
    return rng_for(SEED, source)


def _signal_pairs(name: str | np.random.Generator, count: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Random float signals and kernels: lengths 1..12, kernels even, odd and longer than x."""
    rng = _rng(name)
    fixed = [(1, 1), (1, 4), (5, 2), (6, 4), (3, 7), (8, 8), (2, 9), (9, 3)]
    cases = []
    for i in range(count):
        n, m = fixed[i] if i < len(fixed) else (int(rng.integers(1, 13)), int(rng.integers(1, 13)))
        # Magnitudes in [0.1, 2) with random signs: no sample rounds to an uninformative zero.
        x = (rng.uniform(0.1, 2, n) * rng.choice([-1, 1], n)).round(3)
        w = (rng.uniform(0.1, 2, m) * rng.choice([-1, 1], m)).round(3)
        cases.append((x, w, MODES[i % 3]))
    return cases


def _describe(x: object, w: object, mode: str | None = None) -> str:
    def d(a: object) -> str:
        if isinstance(a, list):
            return f"a list of {len(a)} {type(a[0]).__name__}s" if a else "an empty list"
        arr = np.asarray(a)
        return f"{arr.dtype} array of length {len(arr)}"
    m = f", mode={mode!r}" if mode is not None else ""
    return f"(x: {d(x)}, w: {d(w)}{m})"


def _typed_inputs(name: str | np.random.Generator) -> list[tuple[object, object, str]]:
    """Lists, int arrays of several widths, uint8 images-like values, float32, length 1."""
    rng = _rng(name)
    cases: list[tuple[object, object, str]] = []
    for i, kind in enumerate(["list_int", "list_float", "int64", "int32", "uint8", "float32",
                              "len1", "int_kernel_longer"]):
        n, m = int(rng.integers(2, 10)), int(rng.integers(1, 6))
        mode = MODES[i % 3]
        if kind == "list_int":
            x, w = rng.integers(-5, 6, n).tolist(), rng.integers(-3, 4, m).tolist()
        elif kind == "list_float":
            x, w = rng.normal(size=n).round(2).tolist(), rng.normal(size=m).round(2).tolist()
        elif kind in ("int64", "int32"):
            x = rng.integers(-9, 10, n).astype(kind)
            w = rng.integers(-3, 4, m).astype(kind)
        elif kind == "uint8":
            # Products of uint8 values overflow unless the solution converts to float first.
            x = rng.integers(100, 256, n).astype(np.uint8)
            w = np.full(m, 3, dtype=np.uint8)
        elif kind == "float32":
            x = rng.normal(size=n).astype(np.float32)
            w = rng.normal(size=m).astype(np.float32)
        elif kind == "len1":
            x, w = np.array([2.5]), rng.normal(size=m)
        else:
            x = rng.integers(-4, 5, 3)
            w = rng.integers(-4, 5, 6)
        cases.append((x, w, mode))
    return cases


CONV_CASES = _signal_pairs("conv1d_modes", 24)
CONV_TYPED = _typed_inputs("conv1d_inputs")
CORR_CASES = _signal_pairs("correlate1d_modes", 18) + _typed_inputs("correlate1d_inputs")[:4]


def _expect_signal(got, expected: np.ndarray, **kwargs: object) -> None:
    """expect_array, plus a plot of the expected and the student's signal on failure."""
    try:
        expect_array(got, expected, **kwargs)
    except CheckFailure as exc:
        raise with_signals(exc, expected, got.value, title=str(kwargs.get("call", ""))) from None


LIBRARY_CASES = {name: [_signal_pairs(name + "_library", 3)[2]] for name in ("conv1d", "correlate1d")}


def _check_library(student, name: str, case: tuple) -> None:
    """Fail on a forbidden call, naming it as written; a wrong value is the value checks' business."""
    x, w, mode = case
    got = student.call(name, x, w, mode=mode)
    reference = ref.conv1d if name == "conv1d" else ref.correlate1d
    expect_without_library(student.defined_functions(), name, got, reference(x, w, mode),
                           call=f"{name}{_describe(x, w, mode)}",
                           rule="no np.convolve, np.correlate, scipy.signal or TensorFlow")


# -- conv1d ----------------------------------------------------------------------------------------


@cases(CONV_CASES, fresh=lambda rng: _signal_pairs(rng, 4))
def test_conv1d_modes(student, case):
    """conv1d on random float signals in all three modes, with odd, even and longer-than-signal kernels."""
    x, w, mode = case
    got = student.call("conv1d", x, w, mode=mode)
    _expect_signal(got, ref.conv1d(x, w, mode), call=f"conv1d{_describe(x, w, mode)}",
                 mistakes=M["conv1d"], args=(x, w, mode))


@cases(CONV_TYPED, fresh=lambda rng: _typed_inputs(rng)[::3])
def test_conv1d_inputs(student, case):
    """conv1d accepts lists, int/uint8/float32 arrays and length-1 inputs, and returns a float ndarray."""
    x, w, mode = case
    got = student.call("conv1d", x, w, mode=mode)
    _expect_signal(got, ref.conv1d(x, w, mode), call=f"conv1d{_describe(x, w, mode)}",
                 rtol=1e-5, atol=1e-5, mistakes=M["conv1d"], args=(x, w, mode),
                 require_ndarray=True, require_float=True)


@pytest.mark.relies_on("conv1d", "conv1d_modes", "conv1d_inputs")
@cases(LIBRARY_CASES["conv1d"], fresh=lambda rng: _signal_pairs(rng, 3)[2:])
def test_conv1d_no_library(student, case):
    """conv1d is correct without np.convolve, np.correlate, scipy.signal or TensorFlow."""
    _check_library(student, "conv1d", case)


# -- correlate1d -----------------------------------------------------------------------------------


@cases(CORR_CASES, fresh=lambda rng: _signal_pairs(rng, 3) + _typed_inputs(rng)[:1])
def test_correlate1d_modes(student, case):
    """correlate1d against np.correlate semantics: all modes, kernels longer than the signal, ints and lists."""
    x, w, mode = case
    got = student.call("correlate1d", x, w, mode=mode)
    _expect_signal(got, ref.correlate1d(x, w, mode), call=f"correlate1d{_describe(x, w, mode)}",
                 rtol=1e-5, atol=1e-6, mistakes=M["correlate1d"], args=(x, w, mode))


@pytest.mark.relies_on("correlate1d", "correlate1d_modes")
@cases(LIBRARY_CASES["correlate1d"], fresh=lambda rng: _signal_pairs(rng, 3)[2:])
def test_correlate1d_no_library(student, case):
    """correlate1d is correct without np.convolve, np.correlate, scipy.signal or TensorFlow."""
    _check_library(student, "correlate1d", case)


# -- conv_matrix -----------------------------------------------------------------------------------


def _matrix_cases(source: str | np.random.Generator = "conv_matrix_modes", count: int = 12
                  ) -> list[tuple[np.ndarray, int, str]]:
    rng = _rng(source)
    cases = []
    for i in range(count):
        n, m = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        cases.append((rng.normal(size=m).round(3), n, MODES[i % 3]))
    return cases


MATRIX_CASES = _matrix_cases()


@cases(MATRIX_CASES, fresh=lambda rng: _matrix_cases(rng, 3))
def test_conv_matrix_modes(student, case):
    """conv_matrix(w, n, mode) @ x equals conv1d(x, w, mode) for every x of length n."""
    w, n, mode = case
    got = student.call("conv_matrix", w, n, mode=mode)
    expect_array(got, ref.conv_matrix(w, n, mode),
                 call=f"conv_matrix(w of length {len(w)}, n={n}, mode={mode!r})",
                 mistakes=M["conv_matrix"], args=(w, n, mode))


# -- conv1d_output_length --------------------------------------------------------------------------


def _length_cases(source: str | np.random.Generator = "conv1d_output_length_formula",
                  count: int = 16) -> list[dict[str, int]]:
    rng = _rng(source)
    cases = [dict(n=5, k=7, stride=1, padding=0, dilation=1),  # kernel longer than input: 0
             dict(n=10, k=3, stride=1, padding=0, dilation=1)] if isinstance(source, str) else []
    for _ in range(count):
        cases.append(dict(n=int(rng.integers(1, 60)), k=int(rng.integers(1, 8)),
                          stride=int(rng.integers(1, 5)), padding=int(rng.integers(0, 4)),
                          dilation=int(rng.integers(1, 4))))
    return cases


LENGTH_CASES = _length_cases()


@cases(LENGTH_CASES, fresh=lambda rng: _length_cases(rng, 4))
def test_conv1d_output_length_formula(student, case):
    """conv1d_output_length for random n, k, stride, symmetric padding and dilation (0 when nothing fits)."""
    got = student.call("conv1d_output_length", **case)
    desc = ", ".join(f"{k}={v}" for k, v in case.items())
    expect_int(got, ref.conv1d_output_length(**case), call=f"conv1d_output_length({desc})",
               mistakes=M["conv1d_output_length"], kwargs=case)


# -- conv1d_layer ----------------------------------------------------------------------------------


def _layer_cases(name: str | np.random.Generator, paddings: tuple[str, ...], strided: bool, bias: bool,
                 count: int) -> list[dict]:
    rng = _rng(name)
    cases = []
    for i in range(count):
        batch, steps = int(rng.integers(1, 4)), int(rng.integers(4, 14))
        c_in, c_out, k = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 5))
        stride = dilation = 1
        if strided:
            # Keras refuses stride > 1 together with dilation > 1: vary one at a time.
            if i % 2:
                stride = int(rng.integers(2, 4))
            else:
                dilation = int(rng.integers(2, 4))
        # Keras refuses a 'valid' layer whose dilated kernel is longer than the input.
        steps = max(steps, (k - 1) * dilation + 1)
        dtype = np.float32 if i % 4 == 3 else np.float64
        case = dict(
            x=rng.normal(size=(batch, steps, c_in)).astype(dtype),
            kernel=rng.normal(size=(k, c_in, c_out)).astype(dtype),
            bias=rng.normal(size=c_out).astype(dtype) if bias else None,
            stride=stride, padding=paddings[i % len(paddings)], dilation=dilation,
        )
        cases.append(case)
    return cases


LAYER_VALID = _layer_cases("conv1d_layer_valid", ("valid",), False, False, 8)
LAYER_PADDING = _layer_cases("conv1d_layer_padding", ("same", "causal"), False, False, 10)
LAYER_STRIDED = _layer_cases("conv1d_layer_stride_dilation", ("valid", "same", "causal"), True,
                             False, 12)
LAYER_BIAS = _layer_cases("conv1d_layer_bias", ("valid", "same", "causal"), False, True, 8)


def _check_layer(student, case: dict) -> None:
    x, kernel = case["x"], case["kernel"]
    got = student.call("conv1d_layer", **case)
    desc = (f"conv1d_layer(x {x.shape} {x.dtype}, kernel {kernel.shape}, "
            f"bias={'given' if case['bias'] is not None else None}, stride={case['stride']}, "
            f"padding={case['padding']!r}, dilation={case['dilation']})")
    expect_array(got, ref.conv1d_layer(**case), call=desc, rtol=1e-4, atol=1e-4,
                 mistakes=M["conv1d_layer"], kwargs=case)


@cases(LAYER_VALID, fresh=lambda rng: _layer_cases(rng, ("valid",), False, False, 2))
def test_conv1d_layer_valid(student, case):
    """conv1d_layer with 'valid' padding, stride 1, no bias: batches and several channels."""
    _check_layer(student, case)


@cases(LAYER_PADDING, fresh=lambda rng: _layer_cases(rng, ("same", "causal"), False, False, 2))
def test_conv1d_layer_padding(student, case):
    """conv1d_layer with 'same' (TensorFlow rule) and 'causal' padding."""
    _check_layer(student, case)


@cases(LAYER_STRIDED, fresh=lambda rng: _layer_cases(rng, ("valid", "same", "causal"), True, False, 3))
def test_conv1d_layer_stride_dilation(student, case):
    """conv1d_layer with strides 2-3 or dilations 2-3, in every padding mode."""
    _check_layer(student, case)


@cases(LAYER_BIAS, fresh=lambda rng: _layer_cases(rng, ("valid", "same", "causal"), False, True, 2))
def test_conv1d_layer_bias(student, case):
    """conv1d_layer adds one bias per output channel."""
    _check_layer(student, case)


# -- convolve_functions ----------------------------------------------------------------------------


def _analytic(f: FunctionSpec, g: FunctionSpec, t: np.ndarray) -> np.ndarray:
    if f.kind == g.kind == "box":
        p, q = f.params, g.params
        overlap = np.minimum(p["hi"], t - q["lo"]) - np.maximum(p["lo"], t - q["hi"])
        return np.clip(overlap, 0, None) * p.get("height", 1.0) * q.get("height", 1.0)
    p, q = f.params, g.params
    mu, sigma = p["mu"] + q["mu"], math.hypot(p["sigma"], q["sigma"])
    return FunctionSpec("gaussian", {"mu": mu, "sigma": sigma})(t)


def _function_cases(source: str | np.random.Generator = "convolve_functions_analytic", count: int = 8
                    ) -> list[tuple[FunctionSpec, FunctionSpec, np.ndarray]]:
    """Grids of 12-16 time units starting anywhere in [-9, 3]; f sits well inside its grid."""
    rng = _rng(source)
    cases = []
    for i in range(count):
        start = float(rng.uniform(-9, 3))
        dt = float(rng.choice([0.01, 0.02, 0.025]))
        t = start + dt * np.arange(int(rng.uniform(12, 16) / dt))
        mid = float(t[len(t) // 2])
        if i % 2 == 0:
            lo1 = mid + float(rng.uniform(-1, 1))
            f = FunctionSpec("box", {"lo": lo1, "hi": lo1 + float(rng.uniform(0.5, 2)),
                                     "height": float(rng.uniform(0.5, 2))})
            lo2 = float(rng.uniform(-1, 1.5))
            g = FunctionSpec("box", {"lo": lo2, "hi": lo2 + float(rng.uniform(0.5, 2)),
                                     "height": float(rng.uniform(0.5, 2))})
        else:
            f = FunctionSpec("gaussian", {"mu": mid + float(rng.uniform(-1, 1)),
                                          "sigma": float(rng.uniform(0.3, 0.8))})
            g = FunctionSpec("gaussian", {"mu": float(rng.uniform(-1, 1.5)),
                                          "sigma": float(rng.uniform(0.3, 0.8))})
        cases.append((f, g, t))
    return cases


FUNCTION_CASES = _function_cases()


@cases(FUNCTION_CASES, fresh=lambda rng: _function_cases(rng, 2))
def test_convolve_functions_analytic(student, case):
    """convolve_functions against analytic results (box*box = trapezoid, Gaussian*Gaussian = Gaussian) on off-centre grids."""
    f, g, t = case
    dt = float(t[1] - t[0])
    got = student.call("convolve_functions", f, g, t)
    if f.kind == "box":
        # A Riemann sum misses at most one grid cell at each jump of a box: error <= 2·dt·h1·h2.
        atol = 2.5 * dt * f.params["height"] * g.params["height"]
    else:
        # For smooth, well-covered functions the sum converges much faster than dt.
        atol = dt**2
    _expect_signal(got, _analytic(f, g, t), rtol=0.0, atol=atol,
                 call=(f"convolve_functions(f={f.kind}, g={g.kind}, t: {len(t)} points from "
                       f"{t[0]:.2f} with step {dt:g})"),
                 mistakes=M["convolve_functions"], args=(f, g, t))


# -- moving_average --------------------------------------------------------------------------------


def _average_cases(source: str | np.random.Generator = "moving_average_values", count: int = 10
                   ) -> list[tuple[object, int]]:
    rng = _rng(source)
    cases: list[tuple[object, int]] = []
    for i in range(count):
        n = int(rng.integers(1, 20))
        k = int(rng.integers(1, n + 1))
        x: object = rng.normal(size=n).round(3)
        if i % 3 == 1:
            x = rng.integers(0, 10, n)
        elif i % 3 == 2:
            x = rng.normal(size=n).round(2).tolist()
        cases.append((x, k))
    return cases


AVERAGE_CASES = _average_cases()


@cases(AVERAGE_CASES, fresh=lambda rng: _average_cases(rng, 3))
def test_moving_average_values(student, case):
    """moving_average(x, k): the mean of each full window of k samples, for floats, ints and lists."""
    x, k = case
    got = student.call("moving_average", x, k)
    _expect_signal(got, ref.moving_average(x, k), call=f"moving_average(x: length {len(x)}, k={k})",
                 mistakes=M["moving_average"], args=(x, k))
