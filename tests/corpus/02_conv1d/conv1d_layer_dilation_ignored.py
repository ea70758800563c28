# function: conv1d_layer
# loses: conv1d_layer_stride_dilation
# message: dilation ignored
# Mistake: taps are always adjacent, whatever the dilation.
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    steps = x.shape[1]
    k = kernel.shape[0]
    if padding == "same":
        out = -(-steps // stride)
        total = max((out - 1) * stride + k - steps, 0)
        left, right = total // 2, total - total // 2
    elif padding == "causal":
        left, right = k - 1, 0
    else:
        left, right = 0, 0
    xp = np.pad(x, ((0, 0), (left, right), (0, 0)))
    out_steps = max((xp.shape[1] - k) // stride + 1, 0)
    y = np.zeros((x.shape[0], out_steps, kernel.shape[2]))
    for t in range(out_steps):
        window = xp[:, t * stride:t * stride + k, :]
        y[:, t, :] = np.tensordot(window, kernel, axes=([1, 2], [0, 1]))
    if bias is not None:
        y += bias
    return y
