# function: conv2d
# loses:
# message:
# The textbook version: flip the kernel, zero-pad, and loop over every output pixel of the full result.
import numpy as np


def conv2d(image, kernel, mode="full"):
    x = np.array(image, dtype=np.float64)
    k = np.array(kernel, dtype=np.float64)[::-1, ::-1]
    h, w = x.shape
    kh, kw = k.shape
    padded = np.zeros((h + 2 * (kh - 1), w + 2 * (kw - 1)))
    padded[kh - 1:kh - 1 + h, kw - 1:kw - 1 + w] = x
    full = np.empty((h + kh - 1, w + kw - 1))
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    total += padded[i + a, j + b] * k[a, b]
            full[i, j] = total
    if mode == "full":
        return full
    if mode == "same":
        r, c = (kh - 1) // 2, (kw - 1) // 2
        return full[r:r + h, c:c + w]
    if mode != "valid":
        raise ValueError(mode)
    if kh <= h and kw <= w:
        return full[kh - 1:h, kw - 1:w]
    if kh >= h and kw >= w:
        return full[h - 1:kh, w - 1:kw]
    raise ValueError("valid needs one input inside the other")
