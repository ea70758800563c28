# function: conv2d
# loses: conv2d_modes conv2d_inputs conv2d_analytic
# message: 'valid' output one row and one column short
# Mistake: the 'valid' loop runs over range(h - kh) and range(w - kw), losing the last complete overlap.
import numpy as np


def conv2d(image, kernel, mode="full"):
    x = np.asarray(image, dtype=float)
    k = np.asarray(kernel, dtype=float)
    h, w = x.shape
    kh, kw = k.shape
    if mode == "valid" and (kh > h or kw > w):
        x, k = k, x
        h, w, kh, kw = kh, kw, h, w
    if mode == "valid":
        out = np.zeros((h - kh, w - kw))
        flipped = k[::-1, ::-1]
        for i in range(h - kh):
            for j in range(w - kw):
                out[i, j] = np.sum(x[i:i + kh, j:j + kw] * flipped)
        return out
    full = np.zeros((h + kh - 1, w + kw - 1))
    for a in range(kh):
        for b in range(kw):
            full[a:a + h, b:b + w] += k[a, b] * x
    if mode == "full":
        return full
    top, left = (kh - 1) // 2, (kw - 1) // 2
    return full[top:top + h, left:left + w]
