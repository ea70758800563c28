# function: build_cnn
# loses:
# message:
def build_cnn(input_shape, n_classes):
    model = keras.Sequential(name="shapes_cnn")
    model.add(keras.layers.Input(shape=input_shape))
    for filters in [16, 32, 64]:
        model.add(keras.layers.Conv2D(filters, (3, 3), padding="same"  , activation="relu"))
        model.add(keras.layers.MaxPooling2D(pool_size=(2, 2)))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(64, activation="relu"))
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
