# function: receptive_field
# loses: receptive_field_impulse receptive_field_defaults
# message: dilation ignored
def receptive_field(layers):
    size, jump = 1, 1
    for layer in layers:
        k = layer.get("kernel_size", 1)
        s = layer.get("strides", 1)
        size += (k - 1) * jump
        jump *= s
    return size, jump
