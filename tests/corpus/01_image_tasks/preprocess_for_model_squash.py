# function: preprocess_for_model
# loses: preprocess_for_model_values preprocess_for_model_crop
# message: crop the centre square
def preprocess_for_model(image, size=224):
    from skimage.transform import resize

    resized = resize(np.asarray(image, dtype=float), (size, size), order=1, anti_aliasing=True, preserve_range=True)
    return (resized / 127.5 - 1).astype(np.float32)[None]
