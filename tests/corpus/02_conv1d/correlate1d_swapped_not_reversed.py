# function: correlate1d
# loses: correlate1d_modes
# message: swapped
# Mistake: swaps x and w when the kernel is longer (as np.convolve does), which reverses a
# correlation, and does not reverse the result back.
import numpy as np


def correlate1d(x, w, mode="valid"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if len(w) > len(x):
        x, w = w, x
    n, m = len(x), len(w)
    if mode == "full":
        start, length = 0, n + m - 1
    elif mode == "same":
        start, length = (m - 1) // 2, n
    else:
        start, length = m - 1, n - m + 1
    y = np.zeros(length)
    for out in range(length):
        lag = start + out - (m - 1)
        for j in range(m):
            if 0 <= j + lag < n:
                y[out] += x[j + lag] * w[j]
    return y
