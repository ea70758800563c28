# function: build_model
# loses:
# message:
def build_model(input_shape, spec, n_classes):
    from keras import layers as L
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for layer in spec:
        t = layer["type"]
        if t == "conv2d":
            x = L.Conv2D(layer["filters"], (layer["kernel_size"], layer["kernel_size"]),
                         strides=layer.get("strides", 1), padding=layer.get("padding", "valid"),
                         dilation_rate=layer.get("dilation_rate", 1), use_bias=layer.get("use_bias", True))(x)
            x = L.ReLU()(x)
        elif t == "maxpool2d":
            x = L.MaxPooling2D(pool_size=layer.get("pool_size", 2), strides=layer.get("strides"),
                               padding=layer.get("padding", "valid"))(x)
        elif t == "avgpool2d":
            x = L.AveragePooling2D(pool_size=layer.get("pool_size", 2), strides=layer.get("strides"),
                                   padding=layer.get("padding", "valid"))(x)
        elif t == "flatten":
            x = L.Flatten()(x)
        elif t == "dense":
            x = L.Dense(layer["units"], use_bias=layer.get("use_bias", True))(x)
            x = L.Activation("relu")(x)
        elif t == "dropout":
            x = L.Dropout(layer["rate"])(x)
    outputs = L.Dense(n_classes)(x)
    outputs = L.Softmax()(outputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model
