# function: cnn_forward
# loses: cnn_forward_conv cnn_forward_network
# message: softmax over the batch axis
def cnn_forward(x, weights, spec):
    a = np.asarray(x, dtype=float)
    weights = [np.asarray(w, dtype=float) for w in weights]
    pos = 0
    for layer in spec:
        kind = layer["type"]
        if kind == "conv2d":
            kernel = weights[pos]
            pos += 1
            kh, kw, _, f = kernel.shape
            s, d = layer.get("strides", 1), layer.get("dilation_rate", 1)
            n, h, w, _ = a.shape
            sh, sw = d * (kh - 1) + 1, d * (kw - 1) + 1
            if layer.get("padding", "valid") == "same":
                oh, ow = -(-h // s), -(-w // s)
                ph, pw = max((oh - 1) * s + sh - h, 0), max((ow - 1) * s + sw - w, 0)
            else:
                oh, ow, ph, pw = (h - sh) // s + 1, (w - sw) // s + 1, 0, 0
            a = np.pad(a, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
            y = np.zeros((n, oh, ow, f))
            for i in range(kh):
                for j in range(kw):
                    y += a[:, i * d:i * d + (oh - 1) * s + 1:s, j * d:j * d + (ow - 1) * s + 1:s, :] @ kernel[i, j]
            if layer.get("use_bias", True):
                y += weights[pos]
                pos += 1
            a = np.maximum(y, 0)
        elif kind == "maxpool2d":
            a = max_pool2d(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif kind == "avgpool2d":
            a = avg_pool2d(a, layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid"))
        elif kind == "flatten":
            a = a.reshape(len(a), -1)
        elif kind == "dense":
            a = a @ weights[pos]
            pos += 1
            if layer.get("use_bias", True):
                a = a + weights[pos]
                pos += 1
            a = np.maximum(a, 0)
    z = a @ weights[pos] + weights[pos + 1]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
