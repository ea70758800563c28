# function: conv1d_layer
# loses: conv1d_layer_bias
# message: once per output
# Mistake: the bias is added inside the innermost loop, once per product instead of once per output.
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    batch, steps, c_in = x.shape
    k, _, c_out = kernel.shape
    span = (k - 1) * dilation + 1
    if padding == "same":
        out = -(-steps // stride)
        total = max((out - 1) * stride + span - steps, 0)
        left, right = total // 2, total - total // 2
    elif padding == "causal":
        left, right = span - 1, 0
    else:
        left, right = 0, 0
    xp = np.pad(x, ((0, 0), (left, right), (0, 0)))
    out_steps = max((xp.shape[1] - span) // stride + 1, 0)
    y = np.zeros((batch, out_steps, c_out))
    for b in range(batch):
        for t in range(out_steps):
            for o in range(c_out):
                for i in range(k):
                    for c in range(c_in):
                        y[b, t, o] += xp[b, t * stride + i * dilation, c] * kernel[i, c, o]
                        if bias is not None:
                            y[b, t, o] += bias[o]
    return y
