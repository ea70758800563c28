# function: conv_matrix
# loses: conv_matrix_modes
# message: transposed
# Mistake: one row per input sample and one column per output, the transpose of the right matrix.
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
    matrix = np.zeros((n, rows))
    for i in range(rows):
        for j in range(n):
            if 0 <= start + i - j < m:
                matrix[j, i] = w[start + i - j]
    return matrix
