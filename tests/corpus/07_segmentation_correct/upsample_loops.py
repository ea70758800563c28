# function: upsample
# loses:
# message:
def upsample(x, factor, method="nearest"):
    x = np.asarray(x, dtype=float)
    fh, fw = (factor, factor) if np.ndim(factor) == 0 else factor
    n, h, w, c = x.shape
    out = np.zeros((n, h * fh, w * fw, c))
    for i in range(h * fh):
        for j in range(w * fw):
            if method == "nearest":
                out[:, i, j] = x[:, i // fh, j // fw]
                continue
            r = min(max((i + 0.5) / fh - 0.5, 0.0), h - 1.0)
            q = min(max((j + 0.5) / fw - 0.5, 0.0), w - 1.0)
            r0, q0 = int(r), int(q)
            r1, q1 = min(r0 + 1, h - 1), min(q0 + 1, w - 1)
            dr, dq = r - r0, q - q0
            out[:, i, j] = ((1 - dr) * (1 - dq) * x[:, r0, q0] + (1 - dr) * dq * x[:, r0, q1]
                            + dr * (1 - dq) * x[:, r1, q0] + dr * dq * x[:, r1, q1])
    return out
