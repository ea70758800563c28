# function: conv_stack
# loses:
# message:
def conv_stack(images, layers):
    from numpy.lib.stride_tricks import sliding_window_view
    activations = {None: lambda v: v, "linear": lambda v: v, "relu": lambda v: np.maximum(v, 0),
                   "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}
    x = np.array(images, dtype=np.float64)
    for kernel, bias, activation in layers:
        kh, kw = np.shape(kernel)[:2]
        patches = sliding_window_view(x, (kh, kw), axis=(1, 2))  # (N, H', W', C_in, kh, kw)
        x = np.einsum("nhwcab,abco->nhwo", patches, np.asarray(kernel, dtype=np.float64))
        if bias is not None:
            x = x + np.asarray(bias)
        x = activations[activation](x)
    return x
