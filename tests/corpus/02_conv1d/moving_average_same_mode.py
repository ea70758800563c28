# function: moving_average
# loses: moving_average_values
# message: 'same' mode used
# Mistake: "same" keeps len(x) values, including windows that hang over the edges.
import numpy as np


def moving_average(x, k):
    return conv1d(np.asarray(x, dtype=float), np.ones(k) / k, "same")
