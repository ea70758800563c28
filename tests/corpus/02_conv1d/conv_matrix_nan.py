# function: conv_matrix
# loses: conv_matrix_modes
# message: NaN
# Mistake: the matrix starts as NaN and only the band under the kernel is filled, so the entries
# that should be 0 stay NaN.
import numpy as np


def conv_matrix(w, n, mode="full"):
    w = np.asarray(w, dtype=float)
    m = len(w)
    shorter, longer = min(n, m), max(n, m)
    if mode == "full":
        start, rows = 0, n + m - 1
    elif mode == "same":
        start, rows = (shorter - 1) // 2, longer
    else:
        start, rows = shorter - 1, longer - shorter + 1
    matrix = np.full((rows, n), np.nan)
    for i in range(rows):
        for j in range(n):
            if 0 <= start + i - j < m:
                matrix[i, j] = w[start + i - j]
    return matrix
