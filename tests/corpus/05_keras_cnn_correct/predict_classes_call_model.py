# function: predict_classes
# loses:
# message:
def predict_classes(model, images):
    probabilities = keras.ops.convert_to_numpy(model(np.asarray(images, "float32"), training=False))
    return probabilities.argmax(axis=-1)
