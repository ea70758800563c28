# function: conv_matrix
# loses:
# message:
# Toeplitz matrix in one expression: M[i, j] = w[start + i - j], zero outside the kernel.
import numpy as np


def conv_matrix(w, n, mode="full"):
    w = np.asarray(w, dtype=float)
    m = len(w)
    shorter, longer = min(n, m), max(n, m)
    start, rows = {"full": (0, n + m - 1),
                   "same": ((shorter - 1) // 2, longer),
                   "valid": (shorter - 1, longer - shorter + 1)}[mode]
    taps = np.fromfunction(lambda i, j: start + i - j, (rows, n), dtype=int)
    inside = (taps >= 0) & (taps < m)
    return np.where(inside, w[np.clip(taps, 0, m - 1)], 0.0)
