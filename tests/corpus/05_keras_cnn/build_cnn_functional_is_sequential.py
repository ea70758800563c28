# function: build_cnn_functional
# loses: build_cnn_functional_api
# message: Functional API
def build_cnn_functional(input_shape, n_classes):
    return build_cnn(input_shape, n_classes)
