# function: receptive_field
# loses: receptive_field_impulse receptive_field_defaults
# message: wrong order
def receptive_field(layers):
    size, jump = 1, 1
    for layer in layers:
        k = layer.get("kernel_size", 1)
        s = layer.get("strides", 1)
        d = layer.get("dilation_rate", 1)
        jump *= s
        size += d * (k - 1) * jump
    return int(size), int(jump)
