# function: conv2d_transpose
# loses: conv2d_transpose_same
# message: cropped on the wrong side
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, _ = x.shape
    kh, kw, c_out, _ = kernel.shape
    out = np.zeros((n, (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw), c_out))
    for a in range(kh):
        for b in range(kw):
            out[:, a:a + (h - 1) * sh + 1:sh, b:b + (w - 1) * sw + 1:sw] += x @ kernel[a, b].T
    if padding == "same":
        # The extra row goes on top: ceil instead of floor.
        top, left = -(-max(kh - sh, 0) // 2), -(-max(kw - sw, 0) // 2)
        out = out[:, top:top + h * sh, left:left + w * sw]
    return out
