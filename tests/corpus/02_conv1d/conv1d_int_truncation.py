# function: conv1d
# loses: conv1d_inputs
# message: zeros_like
# Mistake: the output takes the dtype of x, so integer inputs give truncated integer sums.
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros_like(x, shape=n + m - 1)
    for i in range(n + m - 1):
        total = 0.0
        for j in range(n):
            if 0 <= i - j < m:
                total += x[j] * w[i - j]
        full[i] = total
    shorter, longer = min(n, m), max(n, m)
    if mode == "full":
        return full
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + longer]
    return full[shorter - 1:longer]
