# function: conv2d
# loses: conv2d_modes
# message: 'same' window off-centre for an even kernel
# Mistake: the 'same' block starts at k // 2 (the centre pixel of an odd kernel), which is one too far
# for even kernels.
import numpy as np


def conv2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    h, w = image.shape
    kh, kw = kernel.shape
    full = np.zeros((h + kh - 1, w + kw - 1))
    for a in range(kh):
        for b in range(kw):
            full[a:a + h, b:b + w] += kernel[a, b] * image
    if mode == "full":
        return full
    if mode == "same":
        return full[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
    if h >= kh and w >= kw:
        return full[kh - 1:h, kw - 1:w]
    return full[h - 1:kh, w - 1:kw]
