# function: im2col
# loses:
# message:
# Fancy indexing: index arrays of every window's rows and columns, gathered in one step.
import numpy as np


def im2col(images, kh, kw, strides=1):
    x = np.asarray(images, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = x.shape
    out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    rows = (np.arange(out_h) * sh)[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols = (np.arange(out_w) * sw)[None, :, None, None] + np.arange(kw)[None, None, None, :]
    patches = x[:, rows, cols, :]            # (n, out_h, out_w, kh, kw, c_in)
    return patches.reshape(n, out_h, out_w, kh * kw * c_in)
