# function: conv1d_layer
# loses:
# message:
# Computes in float32 like Keras does by default and returns float64; float32 rounding (about
# 1e-7 relative) is far inside the layer checks' tolerance.
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=np.float32)
    kernel = np.asarray(kernel, dtype=np.float32)
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
    xp = np.zeros((batch, left + steps + right, c_in), dtype=np.float32)
    xp[:, left:left + steps] = x
    out_steps = max((xp.shape[1] - span) // stride + 1, 0)
    starts = stride * np.arange(out_steps)
    y = np.zeros((batch, out_steps, c_out), dtype=np.float32)
    for i in range(k):
        y += xp[:, starts + i * dilation] @ kernel[i]
    if bias is not None:
        y += np.asarray(bias, dtype=np.float32)
    return y.astype(np.float64)
