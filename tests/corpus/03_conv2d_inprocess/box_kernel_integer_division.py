# function: box_kernel
# loses: box_kernel_values
# message: integer division
# Mistake: 1 // k**2 is 0 for every k > 1.
import numpy as np


def box_kernel(k):
    return np.full((k, k), 1 // k**2)
