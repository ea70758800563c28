# function: conv2d_transpose
# loses:
# message:
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    # Insert s - 1 zeros between input pixels, pad by k - 1, correlate with the FLIPPED kernel.
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else tuple(strides)
    n, h, w, c_in = x.shape
    kh, kw, c_out, _ = kernel.shape
    stuffed = np.zeros((n, (h - 1) * sh + 1, (w - 1) * sw + 1, c_in))
    stuffed[:, ::sh, ::sw] = x
    padded = np.pad(stuffed, ((0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1), (0, 0)))
    rows, cols = padded.shape[1] - kh + 1, padded.shape[2] - kw + 1
    out = np.zeros((n, (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw), c_out))
    for i in range(rows):
        for j in range(cols):
            window = padded[:, i:i + kh, j:j + kw, :]
            out[:, i, j, :] = np.einsum("nabc,aboc->no", window, kernel)
    if padding == "same":
        top, left = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        out = out[:, top:top + h * sh, left:left + w * sw]
    return out
