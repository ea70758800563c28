"""Hidden graders of assignment 03_conv2d (2D convolution, Conv2D layer, im2col, image filters)."""

from convlab.checking.banned import BANNED_CONVOLUTION
from convlab.registration import Registration
from graders import CALLABLES

REGISTRATION = Registration(kernel_extensions=(CALLABLES,), banned=(BANNED_CONVOLUTION,))
