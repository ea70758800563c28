"""Hidden grader of filter_bank_tf (03_conv2d), cases in `cases.py`. The expected values come from the
reference's correlate2d, so grading needs no TensorFlow."""

from __future__ import annotations

import numpy as np

from convlab.checking.calls import describe_call
from convlab.checking.cases import cases
from convlab.checking.pictures import with_picture
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK
from solutions import conv2d as ref

BANK_CASES = C.bank_cases()


@cases(BANK_CASES, fresh=C.bank_cases, kind=C.bank_kind)
def test_filter_bank_tf_values(student, case):
    """filter_bank_tf returns (H, W, K): channel k is the 'SAME' correlation with kernels[k] (float32 precision)."""
    image, kernels = case
    expected = np.stack([ref.correlate2d(image, k, "same") for k in kernels], axis=-1)
    scale = float(np.abs(image).max() * np.abs(kernels).sum(axis=(1, 2)).max())
    # The picture shows the channel with the largest error.
    CHECK.expect_call(student, "filter_bank_tf", image, kernels, expected=expected, rtol=1e-5, atol=1e-6 * scale,
                      picture=with_picture,
                      describe=describe_call("filter_bank_tf", CHECK.reference_of("filter_bank_tf"), (image, kernels), {}))
