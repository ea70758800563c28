"""Hidden graders of conv2d and correlate2d (03_conv2d): one `test_<check id>` per check, cases in `cases.py`."""

from __future__ import annotations

import numpy as np
import pytest

from convlab.checking.banned import expect_without_library
from convlab.checking.calls import describe_call
from convlab.checking.cases import cases
from convlab.checking.pictures import with_picture
from graders import BANNED_CONVOLUTION
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK

CONV_CASES = C.pairs("conv2d_modes", 18)
CONV_TYPED = C.typed("conv2d_inputs") + [C.MIXED_VALID]
CONV_ANALYTIC = C.analytic("conv2d_analytic")
CORR_CASES = C.pairs("correlate2d_modes", 16) + C.typed("correlate2d_inputs")[:4] + [C.MIXED_VALID]
CORR_ANALYTIC = C.analytic("correlate2d_analytic")
LIBRARY_CASES = {name: C.pairs(name + "_library", 1) for name in ("conv2d", "correlate2d")}


def _expect_pair(student, name: str, case: tuple, **options: object) -> None:
    """The student's result, or the ValueError of an impossible 'valid', equals the reference's."""
    x, k, mode = case
    describe = None
    if mode == "valid" and not C.valid_ok(np.shape(x), np.shape(k)):
        describe = (describe_call(name, CHECK.reference_of(name), (x, k), {"mode": mode}) + " (a kernel larger "
                    "along one axis only: no output is complete in either order, so scipy raises)")
    CHECK.expect_call(student, name, x, k, mode=mode, describe=describe, picture=with_picture, **options)


def _check_library(student, name: str, case: tuple) -> None:
    """Fail on a forbidden call, naming it as written; a wrong value is the value checks' business."""
    x, k, mode = case
    reference = CHECK.reference_of(name)
    expect_without_library(student.defined_functions(), name, student.call(name, x, k, mode=mode),
                           reference(x, k, mode), call=describe_call(name, reference, (x, k), {"mode": mode}),
                           rule="no scipy.signal, scipy.ndimage, np.convolve or TensorFlow", banned=BANNED_CONVOLUTION)


# -- conv2d ----------------------------------------------------------------------------------------


@cases(CONV_CASES, fresh=lambda rng: C.pairs(rng, 3), kind=C.pair_kind)
def test_conv2d_modes(student, case):
    """conv2d on random float images in the three modes: non-square, even kernels, kernels larger than the image."""
    _expect_pair(student, "conv2d", case)


@cases(CONV_TYPED, fresh=lambda rng: C.typed(rng)[::3], kind=C.pair_kind)
def test_conv2d_inputs(student, case):
    """conv2d takes uint8 (no overflow), int, list and float32 inputs, returns floats, raises ValueError on impossible 'valid'."""
    _expect_pair(student, "conv2d", case, rtol=1e-5, atol=1e-5, require_ndarray=True, require_float=True)


@cases(CONV_ANALYTIC, fresh=lambda rng: C.analytic(rng, 2), kind=C.analytic_kind)
def test_conv2d_analytic(student, case):
    """conv2d on an impulse (it reproduces the kernel), a step edge, a ramp and crops of sample photos."""
    _expect_pair(student, "conv2d", case)


@pytest.mark.relies_on("conv2d", "conv2d_modes", "conv2d_inputs", "conv2d_analytic")
@cases(LIBRARY_CASES["conv2d"], fresh=lambda rng: C.pairs(rng, 1), kind=C.mode_kind)
def test_conv2d_no_library(student, case):
    """conv2d is correct without scipy.signal, scipy.ndimage, np.convolve or TensorFlow."""
    _check_library(student, "conv2d", case)


# -- correlate2d -----------------------------------------------------------------------------------


@cases(CORR_CASES, fresh=lambda rng: C.pairs(rng, 3) + C.typed(rng)[:1], kind=C.pair_kind)
def test_correlate2d_modes(student, case):
    """correlate2d as scipy.signal.correlate2d: all modes, even kernels in 'same', larger kernels, ints, impossible 'valid'."""
    _expect_pair(student, "correlate2d", case)


@cases(CORR_ANALYTIC, fresh=lambda rng: C.analytic(rng, 2), kind=C.analytic_kind)
def test_correlate2d_analytic(student, case):
    """correlate2d on an impulse (it shows the kernel flipped), a step edge, a ramp and sample photos."""
    _expect_pair(student, "correlate2d", case)


@pytest.mark.relies_on("correlate2d", "correlate2d_modes", "correlate2d_analytic")
@cases(LIBRARY_CASES["correlate2d"], fresh=lambda rng: C.pairs(rng, 1), kind=C.mode_kind)
def test_correlate2d_no_library(student, case):
    """correlate2d is correct without scipy.signal, scipy.ndimage, np.convolve or TensorFlow."""
    _check_library(student, "correlate2d", case)
