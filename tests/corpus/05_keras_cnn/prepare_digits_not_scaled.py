# function: prepare_digits
# loses: prepare_digits_values
# message: not scaled to [0, 1]
def prepare_digits(images):
    x = np.asarray(images, dtype=np.float32)
    x = x.repeat(2, axis=1).repeat(2, axis=2)
    return x[..., np.newaxis]
