# function: conv1d
# loses: conv1d_modes conv1d_inputs
# message: NotImplementedError
# Mistake: "full" and "valid" work, "same" was left for later.
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
    if mode == "full":
        return full
    if mode == "valid":
        return full[min(n, m) - 1:max(n, m)]
    raise NotImplementedError(f"mode {mode!r} is not implemented yet")
