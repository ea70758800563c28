# function: build_detector
# loses:
# message:
def build_detector(input_shape, grid_size, n_anchors, n_classes):
    model = keras.Sequential([keras.Input(shape=input_shape)])
    side, filters = input_shape[0], 16
    while side > grid_size:
        model.add(keras.layers.Conv2D(filters, 3, padding="same", activation="relu"))
        model.add(keras.layers.MaxPooling2D(2))
        side, filters = side // 2, min(2 * filters, 64)
    model.add(keras.layers.Conv2D(64, 3, padding="same", activation="relu"))
    model.add(keras.layers.Conv2D(n_anchors * (5 + n_classes), 1))
    model.add(keras.layers.Reshape((grid_size, grid_size, n_anchors, 5 + n_classes)))
    return model
