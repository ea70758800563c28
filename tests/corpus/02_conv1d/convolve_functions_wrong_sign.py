# function: convolve_functions
# loses: convolve_functions_analytic
# message: t_j - t_i
# Mistake: g is evaluated at t_j - t_i, the mirror image of g(t_i - t_j).
import numpy as np


def convolve_functions(f, g, t):
    t = np.asarray(t, dtype=float)
    dt = t[1] - t[0]
    fx = f(t)
    out = np.zeros(len(t))
    for i in range(len(t)):
        out[i] = np.sum(fx * g(t - t[i])) * dt
    return out
