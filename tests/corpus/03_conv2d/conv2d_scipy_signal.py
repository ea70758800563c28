# function: conv2d
# loses: conv2d_no_library
# message: uses signal.convolve2d (scipy.signal
# Mistake: the library does the work; the task asks for explicit loops.
import numpy as np
from scipy import signal


def conv2d(image, kernel, mode="full"):
    return signal.convolve2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float), mode)
