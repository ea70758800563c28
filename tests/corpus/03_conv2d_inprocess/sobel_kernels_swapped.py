# function: sobel_kernels
# loses: sobel_kernels_values
# message: gx and gy swapped
# Mistake: gx holds the top/bottom differences. (gradient_magnitude uses sobel_kernels but the
# magnitude does not change when the two are swapped, so it keeps its points.)
import numpy as np


def sobel_kernels():
    gy = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    return gy.T, gy
