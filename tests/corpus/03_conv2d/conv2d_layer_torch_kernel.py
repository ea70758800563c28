# function: conv2d_layer
# loses: conv2d_layer_valid conv2d_layer_padding conv2d_layer_strides conv2d_layer_bias_activation
# message: (C_out, C_in, kh, kw)
# Mistake: the kernel is read in PyTorch's layout (C_out, C_in, kh, kw) instead of Keras's.
import numpy as np


def conv2d_layer(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    images = np.asarray(images, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = images.shape
    c_out, _, kh, kw = kernel.shape
    if padding == "same":
        out_h, out_w = -(-h // sh), -(-w // sw)
        ph = max((out_h - 1) * sh + kh - h, 0)
        pw = max((out_w - 1) * sw + kw - w, 0)
        images = np.pad(images, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        out_h, out_w = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            window = images[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]      # (n, kh, kw, c_in)
            y[:, i, j, :] = np.einsum("nabc,ocab->no", window, kernel)
    if bias is not None:
        y = y + bias
    if activation == "relu":
        return np.maximum(y, 0)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-y))
    if activation == "tanh":
        return np.tanh(y)
    if callable(activation):
        return activation(y)
    return y
