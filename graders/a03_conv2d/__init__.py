"""Hidden graders of assignment 03_conv2d (2D convolution, Conv2D layer, im2col, image filters)."""

from convlab.registration import Registration
from graders import BANNED_CONVOLUTION, CALLABLES

REGISTRATION = Registration(kernel_extensions=(CALLABLES,), banned=(BANNED_CONVOLUTION,))
