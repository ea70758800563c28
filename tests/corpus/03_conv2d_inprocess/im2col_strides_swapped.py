# function: im2col
# loses: im2col_patches conv2d_im2col_values
# message: strides swapped
# Mistake: strides=(sh, sw) unpacked as (sw, sh): the row step is taken along the width.
import numpy as np


def im2col(images, kh, kw, strides=1):
    x = np.asarray(images, dtype=float)
    sw, sh = (strides, strides) if np.ndim(strides) == 0 else tuple(strides)
    n, h, w, c = x.shape
    out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(n, out_h, out_w, kh * kw * c)
