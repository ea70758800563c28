"""Hidden graders of assignment 02_conv1d (1D convolution and correlation, the Conv1D layer, convolution of functions)."""

from convlab.registration import Registration
from graders import BANNED_CONVOLUTION, CALLABLES

REGISTRATION = Registration(kernel_extensions=(CALLABLES,), banned=(BANNED_CONVOLUTION,))
