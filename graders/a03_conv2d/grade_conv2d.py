"""Hidden graders of assignment 03_conv2d. One test function per check; cases are parametrized.

Cases are drawn from a seeded generator over sizes (non-square, even kernels, kernels larger than
the image), dtypes (lists, ints, uint8, float32), modes, strides and paddings, plus analytic images
(step edge, ramp, impulse) and crops of scikit-image's bundled photos; never the notebook's
examples. Within a check the most telling cases come first, because a check's feedback quotes its
first failing case.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from convlab.checking.banned import banned_calls, banned_use_message, expect_without_library
from convlab.checking.cases import cases, rng_for
from convlab.checking.checks import CheckFailure, expect_array, mistakes_from
from convlab.checking.pictures import with_picture
from convlab.runtime.student import StudentError
from graders import BANNED_CONVOLUTION
from graders.a03_conv2d.mistakes import MISTAKES, SOBEL_KERNELS
from graders.a03_conv2d.vectorised import loops_reached, per_pixel_seconds
from graders.callables import FunctionSpec
from solutions import conv2d as ref

SEED = 20260311
MODES = ("full", "same", "valid")
M = {name: mistakes_from(rows) for name, rows in MISTAKES.items()}


def _rng(source: str | np.random.Generator) -> np.random.Generator:
    """The fixed cases' generator for a name; a submission's generator (fresh cases) passes through."""
    return rng_for(SEED, source)


def _d(a: object) -> str:
    """A short description of an input (never its values)."""
    if isinstance(a, list):
        rows = len(a)
        cols = len(a[0]) if rows and isinstance(a[0], list) else 0
        kind = type(a[0][0]).__name__ if cols else "?"
        return f"a {rows}x{cols} nested list of {kind}s"
    arr = np.asarray(a)
    return f"{arr.dtype} array {'x'.join(map(str, arr.shape))}"


@functools.cache
def _photo(name: str) -> np.ndarray:
    from skimage import data

    return getattr(data, name)()


def _crop(name: str, top: int, left: int, h: int, w: int) -> np.ndarray:
    return _photo(name)[top : top + h, left : left + w].copy()


def _values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Magnitudes in [0.1, 2) with random signs, rounded: no value is an uninformative zero."""
    return (rng.uniform(0.1, 2, shape) * rng.choice([-1, 1], shape)).round(3)


# -- conv2d and correlate2d ------------------------------------------------------------------------

FIXED_PAIRS = [
    ((5, 7), (2, 4), "same"),   # even kernel: the 'same' window differs between conv and corr
    ((3, 4), (5, 6), "valid"),  # kernel larger along both axes: roles swap
    ((4, 6), (3, 3), "full"),
    ((6, 5), (4, 2), "same"),
    ((2, 3), (4, 5), "full"),   # kernel larger than the image
    ((3, 2), (5, 4), "same"),
    ((7, 4), (3, 2), "valid"),
    ((1, 1), (1, 1), "full"),
]


def _expect_image(got, expected: np.ndarray, channel_axis: bool = False, **kwargs: object) -> None:
    """expect_array, plus a picture (expected | got | |difference|) on failure for the feedback.

    channel_axis: results are (H, W, K); the picture shows the channel with the largest error.
    """
    try:
        expect_array(got, expected, **kwargs)
    except CheckFailure as exc:
        value = np.asarray(got.value) if not isinstance(got.value, (str, type(None))) else None
        exp = np.asarray(expected, dtype=float)
        if value is not None and channel_axis and value.shape == exp.shape and value.dtype.kind in "biuf":
            k = int(np.argmax(np.abs(value.astype(float) - exp).reshape(-1, exp.shape[-1]).max(axis=0)))
            value, exp = value[..., k], exp[..., k]
        raise with_picture(exc, exp, value, title=kwargs.get("call", "")) from None


def _valid_ok(shape: tuple[int, ...], kshape: tuple[int, ...]) -> bool:
    """'valid' is defined: one input at least as large as the other along both axes."""
    fits = shape[0] >= kshape[0] and shape[1] >= kshape[1]
    return fits or (kshape[0] >= shape[0] and kshape[1] >= shape[1])


def _pairs(name: str | np.random.Generator, count: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    rng = _rng(name)
    cases = []
    for i in range(count):
        if i < len(FIXED_PAIRS):
            shape, kshape, mode = FIXED_PAIRS[i]
        else:
            shape = (int(rng.integers(1, 13)), int(rng.integers(1, 13)))
            kshape = (int(rng.integers(1, 7)), int(rng.integers(1, 7)))
            mode = MODES[i % 3]
            if mode == "valid" and not _valid_ok(shape, kshape):
                mode = "full"
        cases.append((_values(rng, shape), _values(rng, kshape), mode))
    return cases


def _typed(name: str | np.random.Generator) -> list[tuple[object, object, str]]:
    """uint8 images with uint8 kernels first (they overflow), then lists, ints, float32, 1x1."""
    rng = _rng(name)
    cases: list[tuple[object, object, str]] = []
    for i, kind in enumerate(["uint8", "uint8_float_kernel", "list_int", "int64", "uint8_photo",
                              "float32", "int32_even", "one_pixel"]):
        h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
        mode = MODES[i % 3]
        if kind == "uint8":
            x = rng.integers(120, 256, (h, w)).astype(np.uint8)
            k = rng.integers(1, 4, (3, 2)).astype(np.uint8)
        elif kind == "uint8_float_kernel":
            x = rng.integers(0, 256, (h, w)).astype(np.uint8)
            k = rng.normal(size=(2, 3)).round(2)
        elif kind == "list_int":
            x = rng.integers(-5, 6, (h, w)).tolist()
            k = rng.integers(-3, 4, (2, 2)).tolist()
        elif kind == "int64":
            x = rng.integers(-9, 10, (h, w))
            k = rng.integers(-3, 4, (3, 3))
        elif kind == "uint8_photo":
            x = _crop("coins", 40, 60, 24, 30)
            k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.uint8)
        elif kind == "float32":
            x = rng.normal(size=(h, w)).astype(np.float32)
            k = rng.normal(size=(3, 4)).astype(np.float32)
        elif kind == "int32_even":
            x = rng.integers(-20, 20, (h, w)).astype(np.int32)
            k = rng.integers(-3, 4, (4, 2)).astype(np.int32)
        else:
            x = np.array([[2.5]])
            k = _values(rng, (2, 3))
        cases.append((x, k, mode if _valid_ok(np.shape(x), np.shape(k)) else "full"))
    return cases


def _analytic(name: str | np.random.Generator) -> list[tuple[object, object, str]]:
    """Impulse, vertical step edge, ramp, and realistic photo crops (uint8)."""
    rng = _rng(name)
    impulse = np.zeros((9, 11))
    impulse[4, 6] = 1.0
    step = np.zeros((10, 12), dtype=np.uint8)
    step[:, 7:] = 200
    ramp = np.tile(np.arange(13, dtype=float) * 3.0, (8, 1)) + 1.0
    return [
        (impulse, _values(rng, (3, 4)), "same"),   # the response to an impulse is the kernel itself
        (impulse, _values(rng, (2, 3)), "full"),
        (step, np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]), "same"),
        (ramp, _values(rng, (2, 2)), "valid"),
        (_crop("camera", 100, 180, 64, 48), np.full((3, 3), 1 / 9), "same"),
        (_crop("coins", 120, 200, 40, 56), ref.gaussian_kernel(4, 1.2), "same"),
        (_crop("moon", 200, 200, 48, 48), np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), "valid"),
        (_crop("text", 50, 100, 32, 80), _values(rng, (5, 2)), "full"),
    ]


# 'valid' with a kernel larger than the image along one axis only: scipy raises ValueError.
MIXED_VALID = (np.arange(12.0).reshape(3, 4) - 5, np.array([[1.0, -2.0, 0.5, 2.0, -1.0]]), "valid")


CONV_CASES = _pairs("conv2d_modes", 18)
CONV_TYPED = _typed("conv2d_inputs") + [MIXED_VALID]
CONV_ANALYTIC = _analytic("conv2d_analytic")
CORR_CASES = _pairs("correlate2d_modes", 16) + _typed("correlate2d_inputs")[:4] + [MIXED_VALID]
CORR_ANALYTIC = _analytic("correlate2d_analytic")


def _check_raises(student, name: str) -> None:
    x, k, mode = MIXED_VALID
    call = f"{name}(image: {_d(x)}, kernel: {_d(k)}, mode='valid')"
    try:
        got = student.call(name, x, k, mode=mode)
    except StudentError as exc:
        if exc.raised("ValueError"):
            return
        raise
    raise CheckFailure(
        f"{call} returned a {got.type_name}: with a kernel wider but not taller than the image, no "
        "output is complete in either order, so raise ValueError, as scipy does."
    )


def _check_pair(student, name: str, case: tuple, *, inputs: bool = False) -> None:
    if case is MIXED_VALID:
        _check_raises(student, name)
        return
    x, k, mode = case
    got = student.call(name, x, k, mode=mode)
    reference = ref.conv2d if name == "conv2d" else ref.correlate2d
    _expect_image(got, reference(x, k, mode), call=f"{name}(image: {_d(x)}, kernel: {_d(k)}, mode={mode!r})",
                  rtol=1e-6 if not inputs else 1e-5, atol=1e-9 if not inputs else 1e-5,
                  mistakes=M[name], args=(x, k, mode), require_ndarray=inputs, require_float=inputs)


LIBRARY_CASES = {name: _pairs(name + "_library", 1) for name in ("conv2d", "correlate2d")}


def _check_library(student, name: str, case: tuple) -> None:
    """Fail on a forbidden call, naming it as written; a wrong value is the value checks' business."""
    x, k, mode = case
    got = student.call(name, x, k, mode=mode)
    reference = ref.conv2d if name == "conv2d" else ref.correlate2d
    expect_without_library(student.defined_functions(), name, got, reference(x, k, mode),
                           call=f"{name}(image: {_d(x)}, kernel: {_d(k)}, mode={mode!r})",
                           rule="no scipy.signal, scipy.ndimage, np.convolve or TensorFlow")


@cases(CONV_CASES, fresh=lambda rng: _pairs(rng, 3))
def test_conv2d_modes(student, case):
    """conv2d on random float images in the three modes: non-square, even kernels, kernels larger than the image."""
    _check_pair(student, "conv2d", case)


@cases(CONV_TYPED, fresh=lambda rng: _typed(rng)[::3])
def test_conv2d_inputs(student, case):
    """conv2d takes uint8 (no overflow), int, list and float32 inputs, returns floats, raises ValueError on impossible 'valid'."""
    _check_pair(student, "conv2d", case, inputs=True)


@cases(CONV_ANALYTIC, fresh=lambda rng: _analytic(rng)[:2])
def test_conv2d_analytic(student, case):
    """conv2d on an impulse (it reproduces the kernel), a step edge, a ramp and crops of sample photos."""
    _check_pair(student, "conv2d", case)


@pytest.mark.relies_on("conv2d", "conv2d_modes", "conv2d_inputs", "conv2d_analytic")
@cases(LIBRARY_CASES["conv2d"], fresh=lambda rng: _pairs(rng, 1))
def test_conv2d_no_library(student, case):
    """conv2d is correct without scipy.signal, scipy.ndimage, np.convolve or TensorFlow."""
    _check_library(student, "conv2d", case)


@cases(CORR_CASES, fresh=lambda rng: _pairs(rng, 3) + _typed(rng)[:1])
def test_correlate2d_modes(student, case):
    """correlate2d as scipy.signal.correlate2d: all modes, even kernels in 'same', larger kernels, ints, impossible 'valid'."""
    _check_pair(student, "correlate2d", case, inputs=False)


@cases(CORR_ANALYTIC, fresh=lambda rng: _analytic(rng)[:2])
def test_correlate2d_analytic(student, case):
    """correlate2d on an impulse (it shows the kernel flipped), a step edge, a ramp and sample photos."""
    _check_pair(student, "correlate2d", case)


@pytest.mark.relies_on("correlate2d", "correlate2d_modes", "correlate2d_analytic")
@cases(LIBRARY_CASES["correlate2d"], fresh=lambda rng: _pairs(rng, 1))
def test_correlate2d_no_library(student, case):
    """correlate2d is correct without scipy.signal, scipy.ndimage, np.convolve or TensorFlow."""
    _check_library(student, "correlate2d", case)


# -- conv2d_layer -----------------------------------------------------------------------------------


def _layer_case(rng: np.random.Generator, *, n: int, h: int, w: int, c_in: int, c_out: int, kh: int, kw: int,
                strides: object = 1, padding: str = "valid", bias: bool = False, activation: object = None,
                dtype: type = np.float64) -> dict:
    return dict(
        images=rng.normal(size=(n, h, w, c_in)).astype(dtype),
        kernel=rng.normal(size=(kh, kw, c_in, c_out)).astype(dtype),
        bias=rng.normal(size=c_out).astype(dtype) if bias else None,
        strides=strides, padding=padding, activation=activation,
    )


def _random_layer(rng: np.random.Generator, **fixed: object) -> dict:
    size = dict(n=int(rng.integers(1, 4)), h=int(rng.integers(4, 11)), w=int(rng.integers(4, 11)),
                c_in=int(rng.integers(1, 4)), c_out=int(rng.integers(1, 5)),
                kh=int(rng.integers(1, 5)), kw=int(rng.integers(1, 5)))
    size.update(fixed)
    return _layer_case(rng, **size)


def _layer_valid() -> list[dict]:
    rng = _rng("conv2d_layer_valid")
    # First a shape where reading the kernel as (C_out, C_in, kh, kw) still runs.
    cases = [_layer_case(rng, n=2, h=6, w=5, c_in=3, c_out=3, kh=3, kw=3)]
    cases += [_random_layer(rng, dtype=np.float32 if i % 3 == 2 else np.float64) for i in range(7)]
    return cases


def _layer_padding() -> list[dict]:
    rng = _rng("conv2d_layer_padding")
    # First a shape where reading the batch as (N, C, H, W) still runs (H == W == C_in), even kernels.
    cases = [_layer_case(rng, n=2, h=4, w=4, c_in=4, c_out=2, kh=2, kw=3, padding="same"),
             _layer_case(rng, n=1, h=6, w=7, c_in=2, c_out=3, kh=2, kw=4, padding="same"),
             _layer_case(rng, n=2, h=5, w=8, c_in=1, c_out=2, kh=3, kw=2, padding="same")]
    cases += [_random_layer(rng, padding="same") for _ in range(5)]
    return cases


def _layer_strides() -> list[dict]:
    rng = _rng("conv2d_layer_strides")
    cases = [_layer_case(rng, n=2, h=9, w=11, c_in=2, c_out=2, kh=3, kw=2, strides=(2, 3)),
             _layer_case(rng, n=1, h=6, w=8, c_in=2, c_out=3, kh=3, kw=3, strides=2, padding="same"),
             _layer_case(rng, n=2, h=7, w=10, c_in=1, c_out=2, kh=2, kw=4, strides=(3, 2), padding="same")]
    for i in range(7):
        strides = int(rng.integers(2, 4)) if i % 2 else (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
        cases.append(_random_layer(rng, strides=strides, padding=("valid", "same")[i % 2]))
    return cases


def _layer_bias_activation() -> list[dict]:
    rng = _rng("conv2d_layer_bias_activation")
    acts: list[object] = ["sigmoid", "relu", "tanh", None, "linear",
                          FunctionSpec("gaussian", {"mu": 0.5, "sigma": 1.5}), "relu", "sigmoid"]
    cases = []
    for i, act in enumerate(acts):
        cases.append(_random_layer(rng, bias=i != 6, activation=act, padding=("valid", "same")[i % 2],
                                   strides=1 if i % 3 else 2))
    return cases


def _fresh_layers(rng: np.random.Generator, kind: str) -> list[dict]:
    """Two random layers of the kind a check grades (for its per-submission cases)."""
    if kind == "strides":
        return [_random_layer(rng, strides=(1, 2), padding="valid"), _random_layer(rng, strides=2, padding="same")]
    if kind == "bias_activation":
        return [_random_layer(rng, bias=True, activation=a, padding="same") for a in ("relu", "sigmoid")]
    return [_random_layer(rng, padding=kind) for _ in range(2)]


LAYER_VALID, LAYER_PADDING = _layer_valid(), _layer_padding()
LAYER_STRIDES, LAYER_BIAS_ACT = _layer_strides(), _layer_bias_activation()


def _describe_layer(case: dict) -> str:
    act = case["activation"]
    act_d = f"a function ({act.kind})" if isinstance(act, FunctionSpec) else repr(act)
    return (f"conv2d_layer(images {_d(case['images'])}, kernel {_d(case['kernel'])}, "
            f"bias={'given' if case['bias'] is not None else None}, strides={case['strides']}, "
            f"padding={case['padding']!r}, activation={act_d})")


def _check_layer(student, case: dict) -> None:
    got = student.call("conv2d_layer", **case)
    expect_array(got, ref.conv2d_layer(**case), call=_describe_layer(case), rtol=1e-4, atol=1e-4,
                 mistakes=M["conv2d_layer"], kwargs=case)


# The layer is numpy work: no convolution library (numpy itself, np.pad, @ and einsum are fine).
LAYER_BANNED = {label: words for label, words in BANNED_CONVOLUTION.items() if not label.startswith("np.")}


@cases(_layer_padding()[1:2], fresh=lambda rng: [_random_layer(rng, padding="same")])
def test_conv2d_layer_numpy_only(student, case):
    """conv2d_layer is correct without TensorFlow/Keras, scipy.signal or scipy.ndimage."""
    got = student.call("conv2d_layer", **case)
    expect_array(got, ref.conv2d_layer(**case), call=_describe_layer(case), rtol=1e-4, atol=1e-4,
                 mistakes=M["conv2d_layer"], kwargs=case)
    uses = banned_calls(student.defined_functions(), "conv2d_layer", got.library_calls, LAYER_BANNED)
    if uses:
        raise CheckFailure(
            banned_use_message("conv2d_layer", uses, "the layer is numpy work; TensorFlow comes in Task 13")
            + ": compute the windows and sums yourself.", mistake_id=f"banned_call:{uses[0].label}")


@cases(LAYER_VALID, fresh=lambda rng: [_random_layer(rng) for _ in range(2)])
def test_conv2d_layer_valid(student, case):
    """conv2d_layer with 'valid' padding, stride 1, no bias: batches, several channels, non-square kernels."""
    _check_layer(student, case)


@cases(LAYER_PADDING, fresh=lambda rng: [_random_layer(rng, padding="same") for _ in range(2)])
def test_conv2d_layer_padding(student, case):
    """conv2d_layer with 'same' padding (TensorFlow rule), even and odd kernels."""
    _check_layer(student, case)


@cases(LAYER_STRIDES, fresh=lambda rng: _fresh_layers(rng, "strides"))
def test_conv2d_layer_strides(student, case):
    """conv2d_layer with int and (sh, sw) strides, 'valid' and 'same'."""
    _check_layer(student, case)


@cases(LAYER_BIAS_ACT, fresh=lambda rng: _fresh_layers(rng, "bias_activation"))
def test_conv2d_layer_bias_activation(student, case):
    """conv2d_layer adds one bias per output channel, then applies relu, sigmoid, tanh, 'linear' or a function."""
    _check_layer(student, case)


# -- im2col ----------------------------------------------------------------------------------------


def _im2col_cases(source: str | np.random.Generator = "im2col_patches", count: int = 6) -> list[dict]:
    rng = _rng(source)
    cases = [dict(images=_values(rng, (2, 6, 7, 3)), kh=2, kw=3, strides=1),
             dict(images=_values(rng, (1, 9, 8, 2)), kh=3, kw=2, strides=(2, 3))]
    for i in range(count):
        n, h, w, c = (int(rng.integers(1, 4)), int(rng.integers(3, 10)), int(rng.integers(3, 10)),
                      int(rng.integers(1, 4)))
        kh, kw = int(rng.integers(1, h + 1)), int(rng.integers(1, min(w, 4) + 1))
        strides = 1 if i % 3 == 0 else (int(rng.integers(1, 4)) if i % 3 == 1 else
                                        (int(rng.integers(1, 3)), int(rng.integers(2, 4))))
        cases.append(dict(images=_values(rng, (n, h, w, c)), kh=kh, kw=kw, strides=strides))
    return cases


IM2COL_CASES = _im2col_cases()


@cases(IM2COL_CASES, fresh=lambda rng: _im2col_cases(rng, 1))
def test_im2col_patches(student, case):
    """im2col: shape (N, out_h, out_w, kh*kw*C_in), patches flattened in kernel.reshape order, strides."""
    got = student.call("im2col", case["images"], case["kh"], case["kw"], strides=case["strides"])
    expect_array(got, ref.im2col(**case),
                 call=f"im2col(images {_d(case['images'])}, kh={case['kh']}, kw={case['kw']}, strides={case['strides']})",
                 mistakes=M["im2col"], args=(case["images"], case["kh"], case["kw"]),
                 kwargs={"strides": case["strides"]})


def _im2col_layer_cases(source: str | np.random.Generator = "conv2d_im2col_values", count: int = 5) -> list[dict]:
    rng = _rng(source)
    cases = [dict(images=_values(rng, (2, 7, 6, 3)), kernel=_values(rng, (3, 2, 3, 2)),
                  bias=_values(rng, (2,)), strides=1)]
    for i in range(count):
        n, h, w, c_in, c_out = (int(rng.integers(1, 4)), int(rng.integers(4, 10)), int(rng.integers(4, 10)),
                                int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        cases.append(dict(images=_values(rng, (n, h, w, c_in)), kernel=_values(rng, (kh, kw, c_in, c_out)),
                          bias=_values(rng, (c_out,)) if i % 2 else None,
                          strides=(1, 2, (2, 1), 3, (1, 3))[i]))
    return cases


IM2COL_LAYER_CASES = _im2col_layer_cases()


@cases(IM2COL_LAYER_CASES, fresh=lambda rng: _im2col_layer_cases(rng, 2))
def test_conv2d_im2col_values(student, case):
    """conv2d_im2col equals conv2d_layer(..., padding='valid') with and without bias, with strides."""
    got = student.call("conv2d_im2col", **case)
    expect_array(got, ref.conv2d_layer(case["images"], case["kernel"], case["bias"], case["strides"]),
                 call=(f"conv2d_im2col(images {_d(case['images'])}, kernel {_d(case['kernel'])}, "
                       f"bias={'given' if case['bias'] is not None else None}, strides={case['strides']})"),
                 rtol=1e-6, atol=1e-8, mistakes=M["conv2d_im2col"], kwargs=case)


# Probe for the vectorisation check: many output pixels, little arithmetic per pixel, so a Python
# loop over pixels costs far more than the work itself (see vectorised.py for the numbers).
PROBE_BIG, PROBE_SMALL = (1, 200, 200, 1), (1, 10, 10, 1)
PROBE_KERNEL = (2, 2, 1, 1)
PROBE_REPEATS = 5
# Seconds per output pixel above which a function with Python loops is judged to loop over pixels.
# Measured on a loaded 2-core machine (best of 5): vectorised code (sliding_window_view, fancy
# indexing, a loop over the kernel taps) 0.01-0.04 us per pixel; a loop over output rows 0.4-0.7 us
# (its per-row cost spread over 199 pixels: tolerated); a loop over output pixels 4-8 us, and about
# 2 us or more even on an idle machine (each iteration slices, calls and stores, under the profiler).
PER_PIXEL_BOUND = 1.0e-6


def test_conv2d_im2col_vectorised(student):
    """conv2d_im2col has no Python loop over output pixels: its code and its speed on a 130x130 image are checked."""
    rng = _rng("conv2d_im2col_vectorised")
    big, small = _values(rng, PROBE_BIG), _values(rng, PROBE_SMALL)
    kernel = _values(rng, PROBE_KERNEL)
    got = student.call("conv2d_im2col", big, kernel)
    expect_array(got, ref.conv2d_layer(big, kernel), call=f"conv2d_im2col(images {_d(big)}, kernel {_d(kernel)})",
                 rtol=1e-6, atol=1e-8, mistakes=M["conv2d_im2col"], args=(big, kernel))
    loops = loops_reached(student.defined_functions(), "conv2d_im2col")
    if not loops:
        return  # no Python-level loop anywhere it reaches: vectorised, whatever the machine's load
    seconds = per_pixel_seconds(lambda images: student.call("conv2d_im2col", images, kernel).seconds,
                                big, small, kernel.shape[:2], PROBE_REPEATS)
    if seconds > PER_PIXEL_BOUND:
        raise CheckFailure(
            # The measured time stays out of the message so that grading is deterministic.
            f"conv2d_im2col seems to run a Python loop over output pixels ({loops[0]}): it took more than "
            f"{PER_PIXEL_BOUND * 1e6:g} µs per output pixel on a {PROBE_BIG[1]}x{PROBE_BIG[2]} image, where one matrix "
            "product of all the patches takes a few hundredths of a µs. Build every patch at once "
            "(sliding_window_view, fancy indexing, or a loop over the kh x kw kernel taps) and multiply once."
        )


# -- filters ---------------------------------------------------------------------------------------

BOX_SIZES = [3, 2, 5, 4, 1, 7]


@cases(BOX_SIZES, fresh=lambda rng: [int(rng.integers(1, 10))], argname="k")
def test_box_kernel_values(student, k):
    """box_kernel(k) is ones((k, k)) / k**2 for several k."""
    got = student.call("box_kernel", k)
    expect_array(got, ref.box_kernel(k), call=f"box_kernel({k})", mistakes=M["box_kernel"], args=(k,))


GAUSS_CASES = [(4, 1.3), (5, 0.8), (3, 2.0), (6, 1.5), (7, 0.6), (1, 1.1), (2, 0.7), (9, 3.0)]


@cases(GAUSS_CASES, fresh=lambda rng: [(int(rng.integers(1, 10)), round(float(rng.uniform(0.5, 3.0)), 2))])
def test_gaussian_kernel_values(student, case):
    """gaussian_kernel(size, sigma): centred at (size-1)/2 (even sizes too), sigma the standard deviation, sum 1."""
    size, sigma = case
    got = student.call("gaussian_kernel", size, sigma)
    expect_array(got, ref.gaussian_kernel(size, sigma), call=f"gaussian_kernel({size}, {sigma})",
                 rtol=1e-6, atol=1e-9, mistakes=M["gaussian_kernel"], args=(size, sigma))


def test_sobel_kernels_values(student):
    """sobel_kernels() returns the pair (gx, gy): unscaled, gx positive to the right, gy = gx.T."""
    got = student.call("sobel_kernels")
    value = got.value
    # A tuple arrives as a list; a stacked (2, 3, 3) array unpacks the same way, so it is fine too.
    if not (isinstance(value, list) and len(value) == 2) and np.shape(value)[:1] != (2,):
        raise CheckFailure(f"sobel_kernels() returned a {got.type_name}; return a pair (gx, gy)")
    expect_array(got, np.stack(ref.sobel_kernels()), call="sobel_kernels() (gx and gy stacked)",
                 mistakes=mistakes_from(SOBEL_KERNELS))


def test_laplacian_kernel_values(student):
    """laplacian_kernel() is the 4-neighbour [[0, 1, 0], [1, -4, 1], [0, 1, 0]]."""
    got = student.call("laplacian_kernel")
    expect_array(got, ref.laplacian_kernel(), call="laplacian_kernel()", mistakes=M["laplacian_kernel"])


SHARPEN_CASES: list[dict] = [dict(alpha=0.5), {}, dict(alpha=2.5), dict(alpha=0.0)]


@cases(SHARPEN_CASES, fresh=lambda rng: [dict(alpha=round(float(rng.uniform(0.1, 3.0)), 2))], argname="kwargs")
def test_sharpen_kernel_values(student, kwargs):
    """sharpen_kernel(alpha) is identity - alpha * laplacian, default alpha 1."""
    got = student.call("sharpen_kernel", **kwargs)
    desc = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    expect_array(got, ref.sharpen_kernel(**kwargs), call=f"sharpen_kernel({desc})",
                 mistakes=M["sharpen_kernel"], kwargs=kwargs)


# -- gradient magnitude and edges --------------------------------------------------------------------


def _magnitude_cases() -> list[np.ndarray]:
    rng = _rng("gradient_magnitude_values")
    step = np.zeros((9, 12))
    step[:, 5:] = 3.0
    ramp = np.tile(np.arange(10) * 2, (7, 1))
    return [step, ramp, rng.integers(0, 256, (11, 13)).astype(np.uint8),
            rng.integers(-5, 6, (6, 9)), _values(rng, (8, 5)), rng.normal(size=(12, 12)).astype(np.float32)]


MAGNITUDE_CASES = _magnitude_cases()


def _fresh_magnitude(rng: np.random.Generator) -> list[np.ndarray]:
    shape = (int(rng.integers(5, 14)), int(rng.integers(5, 14)))
    return [rng.integers(0, 256, shape).astype(np.uint8), _values(rng, (7, 9))]


def _fresh_photo(rng: np.random.Generator) -> list[tuple]:
    """A random crop of one of the sample photos (every photo is at least 172 pixels high)."""
    name = str(rng.choice(["camera", "coins", "moon", "text"]))
    return [(name, int(rng.integers(0, 90)), int(rng.integers(0, 200)), int(rng.integers(32, 80)),
             int(rng.integers(32, 80)))]
PHOTO_CASES = [("camera", 60, 200, 96, 96), ("coins", 50, 50, 64, 80), ("moon", 150, 150, 72, 64),
               ("text", 40, 120, 48, 96)]


def _check_magnitude(student, image: np.ndarray, desc: str) -> None:
    got = student.call("gradient_magnitude", image)
    _expect_image(got, ref.gradient_magnitude(image), call=f"gradient_magnitude(image: {desc})",
                  rtol=1e-5, atol=1e-5, mistakes=M["gradient_magnitude"], args=(image,), require_float=True)


@cases(MAGNITUDE_CASES, fresh=_fresh_magnitude, argname="image")
def test_gradient_magnitude_values(student, image):
    """gradient_magnitude on a step edge, a ramp, uint8, integer and float images (Sobel, 'same', zero fill)."""
    _check_magnitude(student, image, _d(image))


@cases(PHOTO_CASES, fresh=_fresh_photo, argname="photo")
def test_gradient_magnitude_photos(student, photo):
    """gradient_magnitude on uint8 crops of scikit-image's sample photos."""
    name, *box = photo
    crop = _crop(name, *box)
    _check_magnitude(student, crop, f"a {crop.shape[0]}x{crop.shape[1]} uint8 crop of skimage.data.{name}()")


def _untied_threshold(magnitude: np.ndarray, quantile: float) -> float:
    """A threshold halfway between two distinct magnitudes, so rounding cannot flip a pixel."""
    values = np.unique(magnitude)
    i = min(int(quantile * (len(values) - 1)), len(values) - 2)
    return float((values[i] + values[i + 1]) / 2)


def _edge_cases() -> list[tuple[np.ndarray, float]]:
    rng = _rng("edge_map_values")
    step = np.zeros((8, 10), dtype=np.uint8)
    step[:, 4:] = 10  # inside, the magnitude is exactly 40: a threshold of 40 tests the strict >
    cases = [(step, 40.0)]
    for image, q in [(_values(rng, (9, 11)), 0.6), (rng.integers(0, 256, (10, 7)).astype(np.uint8), 0.5),
                     (_crop("coins", 100, 100, 48, 48), 0.8), (_crop("camera", 250, 250, 40, 56), 0.7)]:
        cases.append((image, _untied_threshold(ref.gradient_magnitude(image), q)))
    return cases


EDGE_CASES = _edge_cases()


def _fresh_edges(rng: np.random.Generator) -> list[tuple[np.ndarray, float]]:
    image = rng.integers(0, 256, (int(rng.integers(6, 14)), int(rng.integers(6, 14)))).astype(np.uint8)
    return [(image, _untied_threshold(ref.gradient_magnitude(image), float(rng.uniform(0.4, 0.8))))]


@cases(EDGE_CASES, fresh=_fresh_edges)
def test_edge_map_values(student, case):
    """edge_map is a boolean array, True where the Sobel magnitude is strictly above the threshold."""
    image, threshold = case
    got = student.call("edge_map", image, threshold)
    call = f"edge_map(image: {_d(image)}, threshold={threshold:g})"
    if got.type_name != "numpy.ndarray" or np.asarray(got.value).dtype != bool:
        raise CheckFailure(f"{call} returned {got.type_name} of {np.asarray(got.value).dtype}; return a boolean "
                           "array (magnitude > threshold)")
    _expect_image(got, ref.edge_map(image, threshold), call=call, mistakes=M["edge_map"], args=(image, threshold))


# -- filter_bank_tf --------------------------------------------------------------------------------


def _bank_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = _rng("filter_bank_tf_values")
    gx, gy = ref.sobel_kernels()
    return [
        (_values(rng, (12, 15)), _values(rng, (3, 3, 5))),
        (_crop("camera", 180, 220, 64, 64), np.stack([gx, gy, ref.laplacian_kernel()])),
        (_values(rng, (9, 10)), _values(rng, (2, 4, 4))),  # even kernels: TF puts the extra zero at the end
        (rng.integers(0, 256, (20, 17)).astype(np.uint8), _values(rng, (4, 2, 3))),
        (_values(rng, (7, 7)), _values(rng, (1, 1, 1))),
    ]


BANK_CASES = _bank_cases()


@cases(BANK_CASES, fresh=lambda rng: [(_values(rng, (10, 12)), _values(rng, (3, 3, 2)))])
def test_filter_bank_tf_values(student, case):
    """filter_bank_tf returns (H, W, K): channel k is the 'SAME' correlation with kernels[k] (float32 precision)."""
    image, kernels = case
    got = student.call("filter_bank_tf", image, kernels)
    expected = np.stack([ref.correlate2d(image, k, "same") for k in kernels], axis=-1)
    scale = float(np.abs(image).max() * np.abs(kernels).sum(axis=(1, 2)).max())
    _expect_image(got, expected, channel_axis=True, call=f"filter_bank_tf(image: {_d(image)}, kernels: {_d(kernels)})",
                  rtol=1e-5, atol=1e-6 * scale, mistakes=M["filter_bank_tf"], args=(image, kernels))
