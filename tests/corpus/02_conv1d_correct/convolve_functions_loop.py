# function: convolve_functions
# loses:
# message:
# One Riemann sum per output point, without building the N x N matrix of lags.
import numpy as np


def convolve_functions(f, g, t):
    t = np.asarray(t, dtype=float)
    dt = t[1] - t[0]
    f_values = f(t)
    return np.array([np.sum(f_values * g(ti - t)) * dt for ti in t])
