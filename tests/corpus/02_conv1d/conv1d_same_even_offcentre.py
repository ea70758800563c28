# function: conv1d
# loses: conv1d_modes conv1d_inputs
# message: off-centre
# Mistake: "same" starts at len(w) // 2 (the upper centre of an even kernel), not (len(w) - 1) // 2.
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros(n + m - 1)
    for i in range(n + m - 1):
        for j in range(n):
            if 0 <= i - j < m:
                full[i] += x[j] * w[i - j]
    shorter, longer = min(n, m), max(n, m)
    if mode == "full":
        return full
    if mode == "same":
        centre = shorter // 2
        return full[centre:centre + longer]
    return full[shorter - 1:longer]
