# function: conv1d
# loses: conv1d_modes conv1d_inputs conv1d_no_library
# message: kernel not flipped
# Mistake: the kernel slides along the signal as written (a cross-correlation), never reversed.
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros(n + m - 1)
    for i in range(n + m - 1):
        for j in range(m):
            k = i - (m - 1) + j
            if 0 <= k < n:
                full[i] += x[k] * w[j]
    if mode == "full":
        return full
    shorter, longer = min(n, m), max(n, m)
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + longer]
    return full[shorter - 1:longer]
