# function: correlate1d
# loses:
# message:
# A correlation is a convolution with the reversed kernel; only the "same" window of a longer
# kernel needs care, because np.correlate mirrors it.
import numpy as np


def correlate1d(x, w, mode="valid"):
    x = np.asarray(x, dtype=float)
    w_reversed = np.asarray(w, dtype=float)[::-1]
    n, m = len(x), len(w_reversed)
    if mode == "same" and m > n:
        full = conv1d(x, w_reversed, "full")
        return full[n // 2:n // 2 + m]
    return conv1d(x, w_reversed, mode)
