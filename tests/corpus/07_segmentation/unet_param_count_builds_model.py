# function: unet_param_count
# loses: unet_param_count_no_keras
# message: without building a model
def unet_param_count(input_channels, n_classes, depth=2, base_filters=8, skips=True):
    return build_unet((None, None, input_channels), n_classes, depth, base_filters, skips).count_params()
