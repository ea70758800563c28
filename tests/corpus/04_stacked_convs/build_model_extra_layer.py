# function: build_model
# loses: build_model_layers build_model_shapes build_model_activations
# message: extra layer
def build_model(input_shape, spec, n_classes):
    model = keras.Sequential([keras.Input(shape=input_shape)])
    for layer in spec:
        t = layer["type"]
        if t == "conv2d":
            model.add(keras.layers.Conv2D(layer["filters"], layer["kernel_size"], strides=layer.get("strides", 1),
                                          padding=layer.get("padding", "valid"),
                                          dilation_rate=layer.get("dilation_rate", 1),
                                          use_bias=layer.get("use_bias", True), activation="relu"))
        elif t == "maxpool2d":
            model.add(keras.layers.MaxPooling2D(layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid")))
        elif t == "avgpool2d":
            model.add(keras.layers.AveragePooling2D(layer.get("pool_size", 2), layer.get("strides"), layer.get("padding", "valid")))
        elif t == "flatten":
            model.add(keras.layers.Flatten())
        elif t == "dense":
            model.add(keras.layers.Dense(layer["units"], activation="relu", use_bias=layer.get("use_bias", True)))
        elif t == "dropout":
            model.add(keras.layers.Dropout(layer["rate"]))
    model.add(keras.layers.Dense(64, activation="relu"))  # one more hidden layer "to help"
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    return model
