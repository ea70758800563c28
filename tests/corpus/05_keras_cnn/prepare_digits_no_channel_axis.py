# function: prepare_digits
# loses: prepare_digits_values train_digits_accuracy
# message: channels axis is missing
def prepare_digits(images):
    x = np.asarray(images, dtype=np.float32) / 16
    return x.repeat(2, axis=1).repeat(2, axis=2)
