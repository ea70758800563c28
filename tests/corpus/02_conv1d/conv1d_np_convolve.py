# function: conv1d
# loses: conv1d_no_library
# message: np.convolve
# Mistake: right values, but through the library call the task forbids.
import numpy as np


def conv1d(x, w, mode="full"):
    return np.convolve(np.asarray(x, dtype=float), np.asarray(w, dtype=float), mode)
