# function: conv2d_im2col
# loses:
# message:
# Builds the patch matrix itself with a loop over the kh x kw kernel taps (not over pixels), then
# one matrix product: vectorised enough.
import numpy as np


def conv2d_im2col(images, kernel, bias=None, strides=1):
    x = np.asarray(images, dtype=float)
    k = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = x.shape
    kh, kw, _, c_out = k.shape
    out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    patches = np.empty((n, out_h, out_w, kh, kw, c_in))
    for a in range(kh):
        for b in range(kw):
            patches[:, :, :, a, b, :] = x[:, a:a + (out_h - 1) * sh + 1:sh, b:b + (out_w - 1) * sw + 1:sw, :]
    out = patches.reshape(n, out_h, out_w, -1) @ k.reshape(-1, c_out)
    return out if bias is None else out + bias
