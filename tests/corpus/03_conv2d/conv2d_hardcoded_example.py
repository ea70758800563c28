# function: conv2d
# loses: conv2d_modes conv2d_inputs conv2d_analytic conv2d_no_library
# message: visible example
# Mistake: only the notebook's worked example is answered; everything else is zeros.
import numpy as np


def conv2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.tolist() == [[1, 2], [3, 4]] and kernel.tolist() == [[1, 0], [0, -1]] and mode == "full":
        return np.array([[1.0, 2.0, 0.0], [3.0, 3.0, -2.0], [0.0, -3.0, -4.0]])
    (h, w), (kh, kw) = image.shape, kernel.shape
    if mode == "full":
        return np.zeros((h + kh - 1, w + kw - 1))
    if mode == "same":
        return np.zeros((h, w))
    return np.zeros((abs(h - kh) + 1, abs(w - kw) + 1))
