"""Hidden graders of conv2d_layer (03_conv2d): one `test_<check id>` per check, cases in `cases.py`."""

from __future__ import annotations

from convlab.checking.banned import banned_calls, banned_use_message
from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from graders import BANNED_CONVOLUTION
from graders.a03_conv2d import cases as C
from graders.a03_conv2d.cases import CHECK

LAYER_VALID, LAYER_PADDING = C.layer_valid(), C.layer_padding()
LAYER_STRIDES, LAYER_BIAS_ACT = C.layer_strides(), C.layer_bias_activation()
# The layer is numpy work: no convolution library (numpy itself, np.pad, @ and einsum are fine).
LAYER_BANNED = {label: words for label, words in BANNED_CONVOLUTION.items() if not label.startswith("np.")}


@cases(C.layer_padding()[1:2], fresh=lambda rng: C.layer_padding(rng, 1), kind=C.layer_kind)
def test_conv2d_layer_numpy_only(student, case):
    """conv2d_layer is correct without TensorFlow/Keras, scipy.signal or scipy.ndimage."""
    got = CHECK.expect_call(student, "conv2d_layer", **case, rtol=1e-4, atol=1e-4)
    uses = banned_calls(student.defined_functions(), "conv2d_layer", got.library_calls, LAYER_BANNED)
    if uses:
        raise CheckFailure(
            banned_use_message("conv2d_layer", uses, "the layer is numpy work; TensorFlow comes in Task 13")
            + ": compute the windows and sums yourself.", mistake_id=f"banned_call:{uses[0].label}")


@cases(LAYER_VALID, fresh=lambda rng: C.layer_valid(rng, 2), kind=C.layer_kind)
def test_conv2d_layer_valid(student, case):
    """conv2d_layer with 'valid' padding, stride 1, no bias: batches, several channels, non-square kernels."""
    CHECK.expect_call(student, "conv2d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_PADDING, fresh=lambda rng: C.layer_padding(rng, 2), kind=C.layer_kind)
def test_conv2d_layer_padding(student, case):
    """conv2d_layer with 'same' padding (TensorFlow rule), even and odd kernels."""
    CHECK.expect_call(student, "conv2d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_STRIDES, fresh=lambda rng: C.layer_strides(rng, 2), kind=C.layer_kind)
def test_conv2d_layer_strides(student, case):
    """conv2d_layer with int and (sh, sw) strides, 'valid' and 'same'."""
    CHECK.expect_call(student, "conv2d_layer", **case, rtol=1e-4, atol=1e-4)


@cases(LAYER_BIAS_ACT, fresh=lambda rng: C.layer_bias_activation(rng, 2), kind=C.layer_kind)
def test_conv2d_layer_bias_activation(student, case):
    """conv2d_layer adds one bias per output channel, then applies relu, sigmoid, tanh, 'linear' or a function."""
    CHECK.expect_call(student, "conv2d_layer", **case, rtol=1e-4, atol=1e-4)
