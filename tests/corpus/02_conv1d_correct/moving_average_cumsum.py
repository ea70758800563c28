# function: moving_average
# loses:
# message:
# Window sums as differences of a running sum, divided by k.
import numpy as np


def moving_average(x, k):
    running = np.concatenate(([0.0], np.cumsum(np.asarray(x, dtype=float))))
    return (running[k:] - running[:-k]) / k
