# function: build_detector
# loses: build_detector_layers
# message: more than 150,000
def build_detector(input_shape, grid_size, n_anchors, n_classes):
    model = keras.Sequential([keras.Input(shape=input_shape)])
    model.add(keras.layers.Conv2D(16, 3, padding="same", activation="relu"))
    model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(grid_size * grid_size * n_anchors * (5 + n_classes)))
    model.add(keras.layers.Reshape((grid_size, grid_size, n_anchors, 5 + n_classes)))
    return model
