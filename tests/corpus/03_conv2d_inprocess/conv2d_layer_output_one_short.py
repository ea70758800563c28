# function: conv2d_layer
# loses: conv2d_layer_valid conv2d_layer_padding conv2d_layer_strides conv2d_layer_bias_activation
# message: output one row and one column short
# Mistake: out = (size + padding - k) // stride, without the + 1 that counts the first window.
import numpy as np


def conv2d_layer(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    x = np.asarray(images, dtype=float)
    k = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else tuple(strides)
    n, h, w, _ = x.shape
    kh, kw, _, c_out = k.shape
    if padding == "same":
        ph = max((-(-h // sh) - 1) * sh + kh - h, 0)
        pw = max((-(-w // sw) - 1) * sw + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    out_h = (x.shape[1] - kh) // sh
    out_w = (x.shape[2] - kw) // sw
    z = np.zeros((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            z[:, i, j, :] = np.einsum("nabc,abco->no", window, k)
    if bias is not None:
        z = z + np.asarray(bias, dtype=float)
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if activation == "tanh":
        return np.tanh(z)
    if callable(activation):
        return activation(z)
    return z
