# function: conv2d_matrix
# loses: conv2d_matrix_values conv2d_matrix_transpose
# message: numbered column by column
def conv2d_matrix(kernel, input_shape, strides=1):
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    h, w = input_shape
    kh, kw = kernel.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    m = np.zeros((oh * ow, h * w))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    m[i + j * oh, (i * sh + a) + (j * sw + b) * h] = kernel[a, b]
    return m
