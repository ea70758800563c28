# function: gaussian_kernel
# loses: gaussian_kernel_values
# message: sigma used as the variance
# Mistake: exp(-r**2 / (2 * sigma)) treats sigma as the variance.
import numpy as np


def gaussian_kernel(size, sigma):
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2 * sigma))
    return g / g.sum()
