# function: conv1d
# loses: conv1d_modes conv1d_inputs moving_average_values
# message: missing its last value
# Mistake: the full output has len(x) + len(w) - 2 values (off-by-one in its length).
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros(n + m - 2)
    for i in range(n + m - 2):
        for j in range(n):
            if 0 <= i - j < m:
                full[i] += x[j] * w[i - j]
    shorter, longer = min(n, m), max(n, m)
    if mode == "full":
        return full
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + longer]
    return full[shorter - 1:longer]
