# function: build_cnn_functional
# loses:
# message:
def build_cnn_functional(input_shape, n_classes):
    L = keras.layers
    inp = L.Input(input_shape)
    h = L.MaxPooling2D()(L.Conv2D(16, 3, padding="same", activation="relu")(inp))
    h = L.MaxPooling2D()(L.Conv2D(32, 3, padding="same", activation="relu")(h))
    h = L.MaxPooling2D()(L.Conv2D(64, 3, padding="same", activation="relu")(h))
    out = L.Dense(n_classes, activation="softmax")(L.Dense(64, activation="relu")(L.Flatten()(h)))
    m = keras.Model(inp, out, name="functional_cnn")
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m
