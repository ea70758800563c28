# function: correlate1d
# loses: correlate1d_modes correlate1d_no_library
# message: computes a convolution
# Mistake: the kernel is reversed (w[i - j]), which is a convolution, not a correlation.
import numpy as np


def correlate1d(x, w, mode="valid"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros(n + m - 1)
    for i in range(n + m - 1):
        for j in range(n):
            if 0 <= i - j < m:
                full[i] += x[j] * w[i - j]
    if mode == "full":
        return full
    shorter, longer = min(n, m), max(n, m)
    if mode == "same":
        start = (m - 1) // 2 if m <= n else n // 2
        return full[start:start + longer]
    return full[shorter - 1:longer]
