# function: cnn_forward
# loses: cnn_forward_conv cnn_forward_network
# message: ReLU missing after the hidden dense layers
# Mistake: only the conv layers are followed by a ReLU; the hidden dense layers stay linear.
def cnn_forward(x, weights, spec):
    out = np.asarray(x, dtype=float)
    params = iter(np.asarray(p, dtype=float) for p in weights)
    for layer in spec:
        kind = layer["type"]
        if kind == "conv2d":
            kernel = next(params)
            bias = next(params) if layer.get("use_bias", True) else 0.0
            kh, kw = kernel.shape[:2]
            step, rate = layer.get("strides", 1), layer.get("dilation_rate", 1)
            span_h, span_w = rate * (kh - 1) + 1, rate * (kw - 1) + 1
            if layer.get("padding", "valid") == "same":
                rows, cols = out.shape[1], out.shape[2]
                need_h = max((-(-rows // step) - 1) * step + span_h - rows, 0)
                need_w = max((-(-cols // step) - 1) * step + span_w - cols, 0)
                out = np.pad(out, ((0, 0), (need_h // 2, need_h - need_h // 2),
                                   (need_w // 2, need_w - need_w // 2), (0, 0)))
            views = np.lib.stride_tricks.sliding_window_view(out, (span_h, span_w), axis=(1, 2))
            taps = views[:, ::step, ::step, :, ::rate, ::rate]  # (N, oh, ow, C, kh, kw)
            out = np.maximum(np.einsum("nijcab,abcf->nijf", taps, kernel) + bias, 0.0)
        elif kind in ("maxpool2d", "avgpool2d"):
            pool = max_pool2d if kind == "maxpool2d" else avg_pool2d
            out = pool(out, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif kind == "flatten":
            out = out.reshape(out.shape[0], -1)
        elif kind == "dense":
            out = out @ next(params)
            if layer.get("use_bias", True):
                out = out + next(params)
    scores = out @ next(params) + next(params)
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    return scores / scores.sum(axis=1, keepdims=True)
