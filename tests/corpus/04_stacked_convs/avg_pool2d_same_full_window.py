# function: avg_pool2d
# loses: avg_pool2d_same
# message: divides by the full window
def avg_pool2d(x, pool_size=2, strides=None, padding="valid"):
    x = np.asarray(x, dtype=float)
    p = pool_size
    s = p if strides is None else strides
    n, h, w, c = x.shape
    if padding == "same":
        oh, ow = -(-h // s), -(-w // s)
        ph, pw = max((oh - 1) * s + p - h, 0), max((ow - 1) * s + p - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - p) // s + 1, (w - p) // s + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j, :] = x[:, i * s:i * s + p, j * s:j * s + p, :].mean(axis=(1, 2))
    return out
