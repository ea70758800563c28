# function: conv2d
# loses: conv2d_inputs
# message: integer overflow
# Mistake: the inputs keep their dtype, so uint8 products wrap around at 256.
import numpy as np


def conv2d(image, kernel, mode="full"):
    image = np.asarray(image)
    kernel = np.asarray(kernel)
    h, w = image.shape
    kh, kw = kernel.shape
    full = np.zeros((h + kh - 1, w + kw - 1))
    for a in range(kh):
        for b in range(kw):
            full[a:a + h, b:b + w] += kernel[a, b] * image
    if mode == "full":
        return full
    if mode == "same":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        return full[top:top + h, left:left + w]
    if h >= kh and w >= kw:
        return full[kh - 1:h, kw - 1:w]
    return full[h - 1:kh, w - 1:kw]
