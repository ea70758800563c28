# function: gaussian_kernel
# loses: gaussian_kernel_values
# message: not normalised
# Mistake: the bell has peak 1 but its weights do not sum to 1, so blurring changes the brightness.
import numpy as np


def gaussian_kernel(size, sigma):
    r = np.arange(size) - (size - 1) / 2
    return np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2 * sigma ** 2))
