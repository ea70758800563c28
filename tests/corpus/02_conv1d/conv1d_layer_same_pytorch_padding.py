# function: conv1d_layer
# loses: conv1d_layer_padding conv1d_layer_bias
# message: PyTorch
# Mistake: "same" as PyTorch-style integer padding, (k - 1) * dilation // 2 zeros on both sides,
# which is one zero short for an even kernel (and ignores the stride rule of TensorFlow).
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    k = kernel.shape[0]
    span = (k - 1) * dilation + 1
    if padding == "same":
        left = right = (span - 1) // 2
    elif padding == "causal":
        left, right = span - 1, 0
    else:
        left, right = 0, 0
    xp = np.pad(x, ((0, 0), (left, right), (0, 0)))
    out_steps = max((xp.shape[1] - span) // stride + 1, 0)
    y = np.zeros((x.shape[0], out_steps, kernel.shape[2]))
    for t in range(out_steps):
        window = xp[:, t * stride:t * stride + span:dilation, :]
        y[:, t, :] = np.tensordot(window, kernel, axes=([1, 2], [0, 1]))
    if bias is not None:
        y += bias
    return y
