# function: correlate2d
# loses: correlate2d_modes correlate2d_analytic correlate2d_no_library
# message: kernel flipped
# Mistake: the kernel is rotated by 180 degrees, which computes a convolution. (gradient_magnitude
# keeps its points: a Sobel kernel rotated by 180 degrees is the same kernel negated.)
import numpy as np


def correlate2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
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
        return full[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
    if h >= kh and w >= kw:
        return full[kh - 1:h, kw - 1:w]
    return full[h - 1:kh, w - 1:kw][::-1, ::-1]
