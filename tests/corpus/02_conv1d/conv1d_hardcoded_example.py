# function: conv1d
# loses: conv1d_modes conv1d_inputs conv1d_no_library moving_average_values
# message: all zeros
# Mistake: only the notebook's worked example is answered; everything else is zeros. The reference
# moving_average calls conv1d, so it loses its points too.
import numpy as np


def conv1d(x, w, mode="full"):
    if list(x) == [1, 2, 3] and list(w) == [0, 1, 0.5] and mode == "full":
        return np.array([0.0, 1.0, 2.5, 4.0, 1.5])
    n, m = len(x), len(w)
    length = {"full": n + m - 1, "same": max(n, m), "valid": max(n, m) - min(n, m) + 1}[mode]
    return np.zeros(length)
