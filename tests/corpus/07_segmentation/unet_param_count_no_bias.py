# function: unet_param_count
# loses: unet_param_count_values unet_param_count_no_keras
# message: bias terms are missing
def unet_param_count(input_channels, n_classes, depth=2, base_filters=8, skips=True):
    total, c = 0, input_channels
    for d in range(depth + 1):
        f = base_filters * 2**d
        total += 9 * c * f + 9 * f * f
        c = f
    for d in reversed(range(depth)):
        f = base_filters * 2**d
        total += 4 * c * f + 9 * (2 * f if skips else f) * f + 9 * f * f
        c = f
    return total + c * n_classes
