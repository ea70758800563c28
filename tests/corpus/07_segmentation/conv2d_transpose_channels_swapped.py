# function: conv2d_transpose
# loses: conv2d_transpose_valid conv2d_transpose_same
# message: channel axes are swapped
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    # Reads the kernel as (kh, kw, C_in, C_out), the Conv2D layout.
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, _ = x.shape
    kh, kw, _, c_out = kernel.shape
    out = np.zeros((n, (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw), c_out))
    for i in range(h):
        for j in range(w):
            for a in range(kh):
                for b in range(kw):
                    if x.shape[3] == kernel.shape[2]:
                        out[:, i * sh + a, j * sw + b] += x[:, i, j] @ kernel[a, b]
    if padding == "same":
        top, left = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        out = out[:, top:top + h * sh, left:left + w * sw]
    return out
