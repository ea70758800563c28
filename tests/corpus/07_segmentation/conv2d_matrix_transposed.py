# function: conv2d_matrix
# loses: conv2d_matrix_values conv2d_matrix_transpose
# message: one row per output pixel
def conv2d_matrix(kernel, input_shape, strides=1):
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    h, w = input_shape
    kh, kw = kernel.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    m = np.zeros((h * w, oh * ow))
    for i in range(oh):
        for j in range(ow):
            window = np.zeros((h, w))
            window[i * sh:i * sh + kh, j * sw:j * sw + kw] = kernel
            m[:, i * ow + j] = window.ravel()
    return m
