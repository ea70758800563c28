# function: conv2d_layer
# loses:
# message:
# A loop over output positions with einsum over the window, scipy.special.expit for the sigmoid.
import numpy as np
from scipy.special import expit


def conv2d_layer(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    x = np.asarray(images, dtype=float)
    k = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if isinstance(strides, int) else tuple(strides)
    n, h, w, _ = x.shape
    kh, kw, _, c_out = k.shape
    if padding == "same":
        out_h, out_w = int(np.ceil(h / sh)), int(np.ceil(w / sw))
        pad_h = max((out_h - 1) * sh + kh - h, 0)
        pad_w = max((out_w - 1) * sw + kw - w, 0)
        x = np.pad(x, [(0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)])
    else:
        out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.empty((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            y[:, i, j] = np.einsum("nabc,abco->no", x[:, i * sh:i * sh + kh, j * sw:j * sw + kw], k)
    if bias is not None:
        y += np.asarray(bias, dtype=float)
    if activation in (None, "linear"):
        return y
    if callable(activation):
        return np.asarray(activation(y), dtype=float)
    return {"relu": lambda v: np.maximum(v, 0.0), "sigmoid": expit, "tanh": np.tanh}[activation](y)
