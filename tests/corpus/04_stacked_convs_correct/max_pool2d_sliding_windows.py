# function: max_pool2d
# loses:
# message:
def max_pool2d(x, pool_size=2, strides=None, padding="valid"):
    from numpy.lib.stride_tricks import sliding_window_view
    x = np.asarray(x, dtype=np.float32)  # float32 is enough
    p = pool_size
    s = strides or p
    h, w = x.shape[1:3]
    if padding == "same":
        need_h = max((-(-h // s) - 1) * s + p - h, 0)
        need_w = max((-(-w // s) - 1) * s + p - w, 0)
        x = np.pad(x, ((0, 0), (need_h // 2, need_h - need_h // 2), (need_w // 2, need_w - need_w // 2), (0, 0)),
                   constant_values=-np.inf)
    windows = sliding_window_view(x, (p, p), axis=(1, 2))[:, ::s, ::s]  # (N, H', W', C, p, p)
    return windows.max(axis=(-2, -1))
