# function: moving_average
# loses: moving_average_values
# message: sums instead of means
# Mistake: convolves with np.ones(k) and forgets to divide by k.
import numpy as np


def moving_average(x, k):
    return conv1d(np.asarray(x, dtype=float), np.ones(k), "valid")
