# function: conv2d_matrix
# loses:
# message:
def conv2d_matrix(kernel, input_shape, strides=1):
    # Column q is the convolution of the unit image that is 1 at pixel q.
    kernel = np.asarray(kernel, dtype=float)
    sh, sw = (strides, strides) if np.ndim(strides) == 0 else strides
    h, w = input_shape
    kh, kw = kernel.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    columns = []
    for q in range(h * w):
        unit = np.zeros(h * w)
        unit[q] = 1.0
        unit = unit.reshape(h, w)
        y = np.array([[np.sum(unit[i * sh:i * sh + kh, j * sw:j * sw + kw] * kernel) for j in range(ow)]
                      for i in range(oh)])
        columns.append(y.ravel())
    return np.stack(columns, axis=1)
