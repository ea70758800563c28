# function: atrous_conv2d
# loses: atrous_conv2d_same
# message: pads the larger half on top
def atrous_conv2d(x, kernel, rate, padding="valid"):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    rh, rw = (rate, rate) if np.ndim(rate) == 0 else rate
    kh, kw = kernel.shape[:2]
    if padding == "same":
        ph, pw = rh * (kh - 1), rw * (kw - 1)
        x = np.pad(x, ((0, 0), (ph - ph // 2, ph // 2), (pw - pw // 2, pw // 2), (0, 0)))
    oh, ow = x.shape[1] - rh * (kh - 1), x.shape[2] - rw * (kw - 1)
    out = np.zeros((x.shape[0], oh, ow, kernel.shape[3]))
    for a in range(kh):
        for b in range(kw):
            out += x[:, a * rh:a * rh + oh, b * rw:b * rw + ow] @ kernel[a, b]
    return out
