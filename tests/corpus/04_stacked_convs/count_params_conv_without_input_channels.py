# function: count_params
# loses: count_params_conv count_params_network count_params_no_keras
# message: without input channels
def count_params(input_shape, spec):
    shapes = output_shapes(input_shape, spec)
    previous = tuple(input_shape)
    total = 0
    for layer, shape in zip(spec, shapes):
        bias = 1 if layer.get("use_bias", True) else 0
        if layer["type"] == "conv2d":
            total += layer["kernel_size"] ** 2 * layer["filters"] + bias * layer["filters"]
        elif layer["type"] == "dense":
            total += previous[-1] * layer["units"] + bias * layer["units"]
        previous = shape
    return total
