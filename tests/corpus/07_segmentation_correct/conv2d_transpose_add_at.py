# function: conv2d_transpose
# loses:
# message:
def conv2d_transpose(x, kernel, strides=2, padding="valid"):
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if isinstance(strides, int):
        strides = (strides, strides)
    sh, sw = strides
    n, h, w, _ = x.shape
    kh, kw, c_out, _ = kernel.shape
    out_h, out_w = (h - 1) * sh + max(kh, sh), (w - 1) * sw + max(kw, sw)
    out = np.zeros((n, out_h, out_w, c_out))
    # Every input pixel adds its stamp: kernel (kh, kw, C_out, C_in) times the pixel's channels.
    stamps = np.einsum("nijc,aboc->nijabo", x, kernel)
    ii, jj, aa, bb = np.meshgrid(np.arange(h), np.arange(w), np.arange(kh), np.arange(kw), indexing="ij")
    rows, cols = (ii * sh + aa).ravel(), (jj * sw + bb).ravel()
    for b in range(n):
        np.add.at(out[b], (rows, cols), stamps[b].reshape(-1, c_out))
    if padding == "same":
        crop_h, crop_w = max(kh - sh, 0), max(kw - sw, 0)
        out = out[:, crop_h // 2:crop_h // 2 + h * sh, crop_w // 2:crop_w // 2 + w * sw, :]
    return out
