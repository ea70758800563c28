# function: correlate1d
# loses: correlate1d_modes correlate1d_no_library
# message: shape
# Mistake: the output is allocated as a column, shape (length, 1), instead of a 1D array.
import numpy as np


def correlate1d(x, w, mode="valid"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros((n + m - 1, 1))
    for i in range(n + m - 1):
        for j in range(n):
            tap = j - i + m - 1
            if 0 <= tap < m:
                full[i] += x[j] * w[tap]
    if mode == "full":
        return full
    shorter, longer = min(n, m), max(n, m)
    if mode == "same":
        start = (m - 1) // 2 if m <= n else n // 2
        return full[start:start + longer]
    return full[shorter - 1:longer]
