# function: conv1d_layer
# loses:
# message:
# Fully vectorised: all windows at once with sliding_window_view, contracted by einsum.
import numpy as np


def conv1d_layer(x, kernel, bias=None, stride=1, padding="valid", dilation=1):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    steps, k = x.shape[1], kernel.shape[0]
    span = (k - 1) * dilation + 1
    if padding == "same":
        total = max((-(-steps // stride) - 1) * stride + span - steps, 0)
        pads = (total // 2, total - total // 2)
    elif padding == "causal":
        pads = (span - 1, 0)
    else:
        pads = (0, 0)
    xp = np.pad(x, ((0, 0), pads, (0, 0)))
    if span > xp.shape[1]:
        return np.zeros((x.shape[0], 0, kernel.shape[2]))
    # (batch, positions, c_in, span) -> keep every stride-th position and every dilation-th tap
    windows = np.lib.stride_tricks.sliding_window_view(xp, span, axis=1)[:, ::stride, :, ::dilation]
    y = np.einsum("btck,kco->bto", windows, kernel)
    if bias is not None:
        y = y + np.asarray(bias, dtype=float)
    return y
