# function: correlate2d
# loses:
# message:
# Correlation = convolution with the kernel rotated by 180 degrees, with scipy's 'same' window for
# correlation (one step further for even kernels) and the 180-degree rotation of a swapped 'valid'.
import numpy as np


def correlate2d(image, kernel, mode="full"):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    full = conv2d(image, kernel[::-1, ::-1], "full")
    (h, w), (kh, kw) = image.shape, kernel.shape
    if mode == "full":
        return full
    if mode == "same":
        return full[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
    return conv2d(image, kernel[::-1, ::-1], "valid")
