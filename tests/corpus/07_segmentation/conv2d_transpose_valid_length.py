# function: conv2d_transpose
# loses: conv2d_transpose_valid
# message: zero rows follow the last stamp
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, _ = x.shape
    kh, kw, c_out, _ = kernel.shape
    if padding == "same":
        out = np.zeros((n, (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw), c_out))
    else:
        out = np.zeros((n, (h - 1) * sh + kh, (w - 1) * sw + kw, c_out))  # misses the trailing zeros
    for a in range(kh):
        for b in range(kw):
            out[:, a:a + (h - 1) * sh + 1:sh, b:b + (w - 1) * sw + 1:sw] += x @ kernel[a, b].T
    if padding == "same":
        top, left = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        out = out[:, top:top + h * sh, left:left + w * sw]
    return out
