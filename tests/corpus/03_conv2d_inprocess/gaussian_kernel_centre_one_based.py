# function: gaussian_kernel
# loses: gaussian_kernel_values
# message: centre of 1..size
# Mistake: the centre (size + 1) / 2 counts pixels from 1, while np.arange counts from 0.
import numpy as np


def gaussian_kernel(size, sigma):
    r = np.arange(size) - (size + 1) / 2
    g = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2 * sigma**2))
    return g / g.sum()
