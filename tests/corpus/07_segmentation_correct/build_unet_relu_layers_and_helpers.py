# function: build_unet
# loses:
# message:
def build_unet(input_shape, n_classes, depth=2, base_filters=8, skips=True):
    L = keras.layers

    def block(t, filters):
        for _ in range(2):
            t = L.Conv2D(filters, (3, 3), padding="same")(t)
            t = L.ReLU()(t)
        return t

    inputs = keras.Input(shape=input_shape)
    x, skip_maps = inputs, {}
    for d in range(depth):
        x = block(x, base_filters * 2**d)
        skip_maps[d] = x
        x = L.MaxPooling2D(pool_size=(2, 2), strides=(2, 2))(x)
    x = block(x, base_filters * 2**depth)
    for d in range(depth - 1, -1, -1):
        # kernel 2, stride 2: "same" and "valid" give the same map
        x = L.Conv2DTranspose(base_filters * 2**d, (2, 2), strides=(2, 2), padding="same")(x)
        if skips:
            x = L.concatenate([x, skip_maps[d]], axis=-1)
        x = block(x, base_filters * 2**d)
    x = L.Conv2D(n_classes, 1, padding="same")(x)
    return keras.Model(inputs=inputs, outputs=L.Softmax()(x))
