# function: count_params
# loses: count_params_no_keras
# message: without building a Keras model
def count_params(input_shape, spec):
    model = build_model(input_shape, spec, 2)
    # The output layer is not part of the spec: take its parameters away again.
    return int(model.count_params() - model.layers[-1].count_params())
