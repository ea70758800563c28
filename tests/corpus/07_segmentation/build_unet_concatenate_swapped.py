# function: build_unet
# loses: build_unet_connections
# message: the Concatenate's inputs are swapped
def build_unet(input_shape, n_classes, depth=2, base_filters=8, skips=True):
    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape))
    x, saved = inputs, []
    for d in range(depth):
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
        saved.append(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(base_filters * 2**depth, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(base_filters * 2**depth, 3, padding="same", activation="relu")(x)
    for d in reversed(range(depth)):
        x = layers.Conv2DTranspose(base_filters * 2**d, 2, strides=2)(x)
        if skips:
            x = layers.Concatenate()([saved[d], x])  # encoder maps first
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
    return keras.Model(inputs, layers.Conv2D(n_classes, 1, activation="softmax")(x))
