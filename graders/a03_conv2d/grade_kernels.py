"""Hidden graders of the filter kernels of 03_conv2d (box, Gaussian, Sobel, Laplacian, sharpen): one
`test_<check id>` per check, cases in `cases.py`."""

from __future__ import annotations

import numpy as np

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK
from solutions import conv2d as ref

BOX_SIZES, GAUSS_CASES, SHARPEN_CASES = C.BOX_SIZES, C.GAUSS_CASES, C.SHARPEN_CASES


@cases(BOX_SIZES, fresh=C.box_sizes, kind=C.box_kind, argname="k")
def test_box_kernel_values(student, k):
    """box_kernel(k) is ones((k, k)) / k**2 for several k."""
    CHECK.expect_call(student, "box_kernel", k)


@cases(GAUSS_CASES, fresh=C.gauss_cases, kind=C.gauss_kind)
def test_gaussian_kernel_values(student, case):
    """gaussian_kernel(size, sigma): centred at (size-1)/2 (even sizes too), sigma the standard deviation, sum 1."""
    CHECK.expect_call(student, "gaussian_kernel", *case)


def test_sobel_kernels_values(student):
    """sobel_kernels() returns the pair (gx, gy): unscaled, gx positive to the right, gy = gx.T."""
    got = student.call("sobel_kernels")
    # A tuple arrives as a list; a stacked (2, 3, 3) array unpacks the same way, so it is fine too.
    if not (isinstance(got.value, list) and len(got.value) == 2) and np.shape(got.value)[:1] != (2,):
        raise CheckFailure(f"sobel_kernels() returned a {got.type_name}; return a pair (gx, gy)")
    CHECK.expect_returned(got, "sobel_kernels", expected=np.stack(ref.sobel_kernels()),
                          describe="sobel_kernels() (gx and gy stacked)")


def test_laplacian_kernel_values(student):
    """laplacian_kernel() is the 4-neighbour [[0, 1, 0], [1, -4, 1], [0, 1, 0]]."""
    CHECK.expect_call(student, "laplacian_kernel")


@cases(SHARPEN_CASES, fresh=C.sharpen_cases, kind=C.sharpen_kind, argname="kwargs")
def test_sharpen_kernel_values(student, kwargs):
    """sharpen_kernel(alpha) is identity - alpha * laplacian, default alpha 1."""
    CHECK.expect_call(student, "sharpen_kernel", **kwargs)
