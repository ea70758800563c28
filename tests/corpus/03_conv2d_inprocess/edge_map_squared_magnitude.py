# function: edge_map
# loses: edge_map_values
# message: not to its square
# Mistake: the threshold is compared with gx**2 + gy**2, the squared magnitude.
import numpy as np


def edge_map(image, threshold):
    gx, gy = sobel_kernels()
    rx = correlate2d(image, gx, "same")
    ry = correlate2d(image, gy, "same")
    return rx**2 + ry**2 > threshold
