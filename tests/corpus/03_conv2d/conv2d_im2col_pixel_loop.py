# function: conv2d_im2col
# loses: conv2d_im2col_vectorised
# message: loop over output pixels
# Mistake: correct values, but one small matrix product per output pixel in a Python loop.
import numpy as np


def conv2d_im2col(images, kernel, bias=None, strides=1):
    images = np.asarray(images, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = images.shape
    kh, kw, _, c_out = kernel.shape
    out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    weights = kernel.reshape(-1, c_out)
    out = np.zeros((n, out_h, out_w, c_out))
    for b in range(n):
        for i in range(out_h):
            for j in range(out_w):
                patch = images[b, i * sh:i * sh + kh, j * sw:j * sw + kw, :].reshape(-1)
                out[b, i, j] = patch @ weights
    if bias is not None:
        out += bias
    return out
