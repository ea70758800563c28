# function: receptive_field
# loses: receptive_field_impulse receptive_field_defaults
# message: stride of earlier layers
def receptive_field(layers):
    # Adds each kernel's span in its own input units, as if every layer read the image directly.
    size, jump = 1, 1
    for layer in layers:
        k = layer.get("kernel_size", 1)
        s = layer.get("strides", 1)
        d = layer.get("dilation_rate", 1)
        size += d * (k - 1)
        jump *= s
    return size, jump
