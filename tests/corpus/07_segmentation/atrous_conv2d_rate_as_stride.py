# function: atrous_conv2d
# loses: atrous_conv2d_valid
# message: used as a stride
def atrous_conv2d(x, kernel, rate, padding="valid"):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    rh, rw = (rate, rate) if np.ndim(rate) == 0 else rate
    kh, kw = kernel.shape[:2]
    if padding == "same":
        ph, pw = kh - 1, kw - 1
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    oh, ow = (x.shape[1] - kh) // rh + 1, (x.shape[2] - kw) // rw + 1
    out = np.zeros((x.shape[0], oh, ow, kernel.shape[3]))
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * rh:i * rh + kh, j * rw:j * rw + kw, :]
            out[:, i, j] = np.tensordot(window, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return out
