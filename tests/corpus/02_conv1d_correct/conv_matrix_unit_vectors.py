# function: conv_matrix
# loses:
# message:
# Column j is the response of the convolution to the unit impulse e_j.
import numpy as np


def conv_matrix(w, n, mode="full"):
    columns = [conv1d(np.eye(n)[j], w, mode) for j in range(n)]
    return np.column_stack(columns)
