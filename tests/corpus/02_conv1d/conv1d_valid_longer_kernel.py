# function: conv1d
# loses: conv1d_modes conv1d_inputs
# message: longer than the signal
# Mistake: assumes the kernel is never longer than the signal, so "valid" comes out empty and
# "same" has len(x) values when len(w) > len(x).
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    if mode == "full":
        start, length = 0, n + m - 1
    elif mode == "same":
        start, length = (m - 1) // 2, n
    else:
        start, length = m - 1, n - m + 1
    y = np.zeros(max(length, 0))
    for out in range(len(y)):
        i = start + out
        for j in range(n):
            if 0 <= i - j < m:
                y[out] += x[j] * w[i - j]
    return y
