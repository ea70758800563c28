# function: count_params
# loses: count_params_network
# message: wrong flatten size
def count_params(input_shape, spec):
    # Tracks the map through the conv layers but forgets that pooling shrinks it too.
    h, w, c = input_shape
    inputs = None
    total = 0
    for layer in spec:
        bias = 1 if layer.get("use_bias", True) else 0
        if layer["type"] == "conv2d":
            k, s, d = layer["kernel_size"], layer.get("strides", 1), layer.get("dilation_rate", 1)
            total += k * k * c * layer["filters"] + bias * layer["filters"]
            if layer.get("padding", "valid") == "same":
                h, w = -(-h // s), -(-w // s)
            else:
                h, w = (h - d * (k - 1) - 1) // s + 1, (w - d * (k - 1) - 1) // s + 1
            c = layer["filters"]
        elif layer["type"] == "flatten":
            inputs = h * w * c
        elif layer["type"] == "dense":
            total += inputs * layer["units"] + bias * layer["units"]
            inputs = layer["units"]
    return total
