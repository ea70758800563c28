# function: conv2d_transpose
# loses: conv2d_transpose_valid conv2d_transpose_same
# message: must be flipped
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    # Zero-stuff the input, pad it by k - 1, then slide the kernel over it as Conv2D does
    # (a cross-correlation: the kernel is NOT flipped, which is the mistake).
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    n, h, w, c_in = x.shape
    kh, kw, c_out, _ = kernel.shape
    stuffed = np.zeros((n, (h - 1) * sh + 1, (w - 1) * sw + 1, c_in))
    stuffed[:, ::sh, ::sw] = x
    padded = np.pad(stuffed, ((0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1), (0, 0)))
    rows, cols = padded.shape[1] - kh + 1, padded.shape[2] - kw + 1
    out = np.zeros((n, rows, cols, c_out))
    for a in range(kh):
        for b in range(kw):
            out += padded[:, a:a + rows, b:b + cols] @ kernel[a, b].T
    full = np.zeros((n, (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw), c_out))
    full[:, :rows, :cols] = out
    if padding == "same":
        top, left = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        full = full[:, top:top + h * sh, left:left + w * sw]
    return full
