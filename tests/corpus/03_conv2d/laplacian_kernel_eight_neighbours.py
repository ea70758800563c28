# function: laplacian_kernel
# loses: laplacian_kernel_values sharpen_kernel_values
# message: 8-neighbour
# Mistake: the 8-neighbour Laplacian. sharpen_kernel uses laplacian_kernel, so it loses points too.
import numpy as np


def laplacian_kernel():
    return np.array([[1.0, 1.0, 1.0], [1.0, -8.0, 1.0], [1.0, 1.0, 1.0]])
