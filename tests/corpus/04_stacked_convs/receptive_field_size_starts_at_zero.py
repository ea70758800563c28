# function: receptive_field
# loses: receptive_field_impulse receptive_field_defaults
# message: starts at 1 pixel
# Mistake: the size starts at 0 instead of 1, one pixel short.
def receptive_field(layers):
    size, jump = 0, 1
    for layer in layers:
        k = layer.get("kernel_size", 1)
        s = layer.get("strides", 1)
        d = layer.get("dilation_rate", 1)
        size += d * (k - 1) * jump
        jump *= s
    return size, jump
