# function: conv2d_transpose
# loses: conv2d_transpose_valid conv2d_transpose_same
# message: stride is ignored
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    n, h, w, _ = x.shape
    kh, kw, c_out, _ = kernel.shape
    out = np.zeros((n, h + kh - 1, w + kw - 1, c_out))
    for a in range(kh):
        for b in range(kw):
            out[:, a:a + h, b:b + w] += x @ kernel[a, b].T
    if padding == "same":
        out = out[:, (kh - 1) // 2:(kh - 1) // 2 + h, (kw - 1) // 2:(kw - 1) // 2 + w]
    return out
