# function: atrous_conv2d
# loses:
# message:
def atrous_conv2d(x, kernel, rate, padding="valid"):
    # A dilated kernel, then an ordinary cross-correlation.
    big = dilate_kernel(np.asarray(kernel, dtype=float), rate)
    x = np.asarray(x, dtype=float)
    kh, kw = big.shape[:2]
    if padding == "same":
        x = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.empty((x.shape[0], oh, ow, big.shape[3]))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j, :] = np.tensordot(x[:, i:i + kh, j:j + kw, :], big, axes=3)
    return out
