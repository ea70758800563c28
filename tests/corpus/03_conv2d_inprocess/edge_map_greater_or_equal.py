# function: edge_map
# loses: edge_map_values
# message: strict >
# Mistake: >= marks pixels exactly at the threshold as edges.
import numpy as np


def edge_map(image, threshold):
    return gradient_magnitude(image) >= threshold
