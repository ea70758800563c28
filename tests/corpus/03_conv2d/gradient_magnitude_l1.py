# function: gradient_magnitude
# loses: gradient_magnitude_values gradient_magnitude_photos edge_map_values
# message: |gx| + |gy|
# Mistake: the L1 shortcut instead of the length of the gradient. edge_map uses gradient_magnitude.
import numpy as np


def gradient_magnitude(image):
    gx, gy = sobel_kernels()
    return np.abs(correlate2d(image, gx, "same")) + np.abs(correlate2d(image, gy, "same"))
