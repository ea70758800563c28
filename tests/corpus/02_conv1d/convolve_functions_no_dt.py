# function: convolve_functions
# loses: convolve_functions_analytic
# message: missing dt
# Mistake: the Riemann sum is not multiplied by the grid step.
import numpy as np


def convolve_functions(f, g, t):
    t = np.asarray(t, dtype=float)
    fx = f(t)
    out = np.zeros(len(t))
    for i in range(len(t)):
        out[i] = np.sum(fx * g(t[i] - t))
    return out
