# function: cnn_forward
# loses:
# message:
def cnn_forward(x, weights, spec):
    from numpy.lib.stride_tricks import sliding_window_view
    a = np.asarray(x, dtype=np.float64)
    queue = list(weights)
    for layer in spec:
        t = layer["type"]
        if t == "conv2d":
            kernel = np.asarray(queue.pop(0), dtype=np.float64)
            bias = np.asarray(queue.pop(0), dtype=np.float64) if layer.get("use_bias", True) else 0.0
            k, s, d = kernel.shape[0], layer.get("strides", 1), layer.get("dilation_rate", 1)
            span = d * (k - 1) + 1
            if layer.get("padding", "valid") == "same":
                pads = []
                for size in a.shape[1:3]:
                    total = max((-(-size // s) - 1) * s + span - size, 0)
                    pads.append((total // 2, total - total // 2))
                a = np.pad(a, ((0, 0), pads[0], pads[1], (0, 0)))
            patches = sliding_window_view(a, (span, span), axis=(1, 2))[:, ::s, ::s, :, ::d, ::d]
            a = np.maximum(np.einsum("nhwcij,ijco->nhwo", patches, kernel) + bias, 0)
        elif t in ("maxpool2d", "avgpool2d"):
            pool = max_pool2d if t == "maxpool2d" else avg_pool2d
            a = pool(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif t == "flatten":
            a = a.reshape(a.shape[0], -1)
        elif t == "dense":
            a = a @ np.asarray(queue.pop(0), dtype=np.float64)
            if layer.get("use_bias", True):
                a = a + queue.pop(0)
            a = np.maximum(a, 0)
    kernel, bias = queue
    z = a @ kernel + bias
    z = z - z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
