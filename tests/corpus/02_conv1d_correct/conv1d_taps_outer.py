# function: conv1d
# loses:
# message:
# Loop over the kernel taps outside: tap k adds w[k] * x, shifted by k, to the full output.
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    full = np.zeros(n + m - 1)
    for k in range(m):
        for j in range(n):
            full[j + k] += w[k] * x[j]
    if mode == "full":
        return full
    if len(w) > len(x):
        n, m = m, n
    if mode == "same":
        return full[(m - 1) // 2:(m - 1) // 2 + n]
    return full[m - 1:n]
