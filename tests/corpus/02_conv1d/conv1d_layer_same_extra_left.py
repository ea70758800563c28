# function: conv1d_layer
# loses: conv1d_layer_padding conv1d_layer_bias
# message: odd extra zero on the left
# Mistake: an odd number of "same" zeros puts the extra one on the left (like ONNX SAME_LOWER),
# while TensorFlow/Keras put it on the right.
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    steps = x.shape[1]
    k = kernel.shape[0]
    span = (k - 1) * dilation + 1
    if padding == "same":
        out = -(-steps // stride)
        total = max((out - 1) * stride + span - steps, 0)
        right = total // 2
        left = total - right
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
