# function: prepare_digits
# loses:
# message:
def prepare_digits(images):
    images = np.asarray(images, dtype=np.float32)
    big = np.stack([np.kron(img, np.ones((2, 2), np.float32)) for img in images])
    return (big / 16.0).reshape(len(images), 16, 16, 1)
