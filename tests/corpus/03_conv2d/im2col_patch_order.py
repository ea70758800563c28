# function: im2col
# loses: im2col_patches conv2d_im2col_values
# message: patch order does not match
# Mistake: sliding_window_view returns (N, out_h, out_w, C_in, kh, kw); reshaping it directly
# flattens each patch channel-first, which does not match kernel.reshape(-1, C_out). conv2d_im2col
# (which calls im2col) loses its values check too; the one-channel vectorisation probe cannot tell.
import numpy as np


def im2col(images, kh, kw, strides=1):
    images = np.asarray(images, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    windows = np.lib.stride_tricks.sliding_window_view(images, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
    n, out_h, out_w = windows.shape[:3]
    return windows.reshape(n, out_h, out_w, -1)
