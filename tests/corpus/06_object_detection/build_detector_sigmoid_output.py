# function: build_detector
# loses: build_detector_output
# message: raw logits
def build_detector(input_shape, grid_size, n_anchors, n_classes):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    side = input_shape[0]
    while side > grid_size:
        x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
        side //= 2
    x = keras.layers.Conv2D(n_anchors * (5 + n_classes), 1, activation="sigmoid")(x)
    return keras.Model(inputs, keras.layers.Reshape((grid_size, grid_size, n_anchors, 5 + n_classes))(x))
