# function: preprocess_for_model
# loses: preprocess_for_model_values preprocess_for_model_crop preprocess_for_model_format
# message: 127.5
def preprocess_for_model(image, size=224):
    from skimage.transform import resize

    image = np.asarray(image, dtype=float)
    h, w = image.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = image[top:top + side, left:left + side]
    resized = resize(square, (size, size), order=1, anti_aliasing=True, preserve_range=True)
    return (resized / 255.0).astype(np.float32)[None]
