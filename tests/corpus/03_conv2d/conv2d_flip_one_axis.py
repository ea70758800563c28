# function: conv2d
# loses: conv2d_modes conv2d_analytic
# message: flipped along one axis only
# Mistake: kernel[::-1] reverses the rows only; the columns are never flipped.
import numpy as np


def conv2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)[::-1]
    h, w = image.shape
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    full = np.zeros((h + kh - 1, w + kw - 1))
    for i in range(h + kh - 1):
        for j in range(w + kw - 1):
            full[i, j] = np.sum(padded[i:i + kh, j:j + kw] * kernel)
    if mode == "full":
        return full
    if mode == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        return full[top:top + h, left:left + w]
    if h >= kh and w >= kw:
        return full[kh - 1:h, kw - 1:w]
    return full[h - 1:kh, w - 1:kw]
