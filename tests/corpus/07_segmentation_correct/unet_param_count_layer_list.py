# function: unet_param_count
# loses:
# message:
def unet_param_count(input_channels, n_classes, depth=2, base_filters=8, skips=True):
    convs = []  # (kernel size, channels in, channels out)
    c = input_channels
    for d in range(depth + 1):
        f = base_filters * 2**d
        convs += [(3, c, f), (3, f, f)]
        c = f
    for d in range(depth - 1, -1, -1):
        f = base_filters * 2**d
        convs += [(2, c, f), (3, 2 * f if skips else f, f), (3, f, f)]
        c = f
    convs.append((1, c, n_classes))
    return sum(k * k * a * b + b for k, a, b in convs)
