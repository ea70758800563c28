# function: conv_stack
# loses: conv_stack_values conv_stack_inputs
# message: valid padding
def conv_stack(images, layers):
    x = np.asarray(images, dtype=float)
    for kernel, bias, activation in layers:
        kernel = np.asarray(kernel, dtype=float)
        kh, kw, c_in, c_out = kernel.shape
        # Pads so that the maps keep their size, like padding="same".
        x = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
        n, h, w, _ = x.shape
        y = np.zeros((n, h - kh + 1, w - kw + 1, c_out))
        for i in range(h - kh + 1):
            for j in range(w - kw + 1):
                y[:, i, j, :] = np.tensordot(x[:, i:i + kh, j:j + kw, :], kernel, axes=3)
        if bias is not None:
            y = y + bias
        if activation == "relu":
            y = np.maximum(y, 0)
        elif activation == "tanh":
            y = np.tanh(y)
        elif activation == "sigmoid":
            y = 1 / (1 + np.exp(-y))
        x = y
    return x
