# function: sobel_kernels
# loses: sobel_kernels_values
# message: sign reversed
# Mistake: the textbook kernel [[1, 0, -1], ...] is meant for convolution; with correlation it is
# negative where intensity grows to the right.
import numpy as np


def sobel_kernels():
    gx = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    return gx, gx.T
