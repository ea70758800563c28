# function: conv1d
# loses:
# message:
# Vectorised: pad x with len(w) - 1 zeros on both sides, then every full-convolution output is
# the dot product of one window with the reversed kernel.
import numpy as np


def conv1d(x, w, mode="full"):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, m = len(x), len(w)
    padded = np.pad(x, m - 1)
    full = np.lib.stride_tricks.sliding_window_view(padded, m) @ w[::-1]
    shorter, longer = min(n, m), max(n, m)
    if mode == "full":
        return full
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + longer]
    if mode == "valid":
        return full[shorter - 1:longer]
    raise ValueError(f"unknown mode {mode!r}")
