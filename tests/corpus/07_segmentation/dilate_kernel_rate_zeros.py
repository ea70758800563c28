# function: dilate_kernel
# loses: dilate_kernel_values
# message: r - 1 zeros
def dilate_kernel(kernel, rate):
    kernel = np.asarray(kernel)
    rh, rw = (rate, rate) if np.ndim(rate) == 0 else rate
    kh, kw = kernel.shape[:2]
    out = np.zeros(((rh + 1) * (kh - 1) + 1, (rw + 1) * (kw - 1) + 1) + kernel.shape[2:], dtype=kernel.dtype)
    out[::rh + 1, ::rw + 1] = kernel  # rate zeros between taps
    return out
