# function: build_unet
# loses: build_unet_output build_unet_layers unet_trained_mean_iou
# message: `unet` was not trained: the read-only cell `train_unet` failed
def build_unet(input_shape, n_classes, depth=2, base_filters=8, skips=True):
    # One output channel with a sigmoid, as for a binary mask: the 4-class training cannot run.
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
            x = layers.Concatenate()([x, saved[d]])
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(base_filters * 2**d, 3, padding="same", activation="relu")(x)
    return keras.Model(inputs, layers.Conv2D(1, 1, activation="sigmoid")(x))
