# function: conv2d_layer
# loses: conv2d_layer_padding conv2d_layer_strides conv2d_layer_bias_activation
# message: PyTorch-style symmetric
# Mistake: 'same' pads (k - 1) // 2 zeros on each side, as PyTorch's padding=k // 2 habit suggests.
import numpy as np


def conv2d_layer(images, kernel, bias=None, strides=1, padding="valid", activation=None):
    images = np.asarray(images, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = images.shape
    kh, kw, _, c_out = kernel.shape
    if padding == "same":
        ph, pw = (kh - 1) // 2, (kw - 1) // 2
        images = np.pad(images, ((0, 0), (ph, ph), (pw, pw), (0, 0)))
    out_h = (images.shape[1] - kh) // sh + 1
    out_w = (images.shape[2] - kw) // sw + 1
    y = np.zeros((n, out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            window = images[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            y[:, i, j, :] = np.tensordot(window, kernel, axes=([1, 2, 3], [0, 1, 2]))
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
