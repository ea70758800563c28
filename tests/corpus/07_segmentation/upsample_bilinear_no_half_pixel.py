# function: upsample
# loses: upsample_bilinear
# message: no half-pixel centres
def upsample(x, factor, method="nearest"):
    x = np.asarray(x, dtype=float)
    fh, fw = (factor, factor) if np.ndim(factor) == 0 else factor
    if method == "nearest":
        return x.repeat(fh, axis=1).repeat(fw, axis=2)
    for axis, f in ((1, fh), (2, fw)):
        n = x.shape[axis]
        pos = np.clip(np.arange(n * f) / f, 0, n - 1)
        low = np.floor(pos).astype(int)
        high = np.minimum(low + 1, n - 1)
        t = (pos - low).reshape([-1 if k == axis else 1 for k in range(4)])
        x = np.take(x, low, axis=axis) * (1 - t) + np.take(x, high, axis=axis) * t
    return x
