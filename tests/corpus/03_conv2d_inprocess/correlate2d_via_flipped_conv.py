# function: correlate2d
# loses: correlate2d_modes correlate2d_analytic
# message: 'same' window of convolve2d
# Mistake: a correlation is a convolution with the flipped kernel, but in 'same' mode scipy's
# correlate2d keeps a window shifted by one for even kernels; this answer is wrong exactly there.
import numpy as np


def correlate2d(image, kernel, mode="full"):
    kernel = np.asarray(kernel, dtype=float)
    return conv2d(image, kernel[::-1, ::-1], mode)
