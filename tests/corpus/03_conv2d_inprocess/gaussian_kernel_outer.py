# function: gaussian_kernel
# loses:
# message:
# Separable: the 2D Gaussian is the outer product of a normalised 1D Gaussian with itself.
import numpy as np


def gaussian_kernel(size, sigma):
    t = np.linspace(-(size - 1) / 2, (size - 1) / 2, size)
    g = np.exp(-t ** 2 / (2 * sigma ** 2))
    g /= g.sum()
    return np.outer(g, g)
