"""Hidden graders of assignment 04_stacked_convs."""

from convlab.registration import KERAS, Registration

# output_shapes and count_params must be computed, not read off a Keras model.
NO_KERAS = {"Keras/TensorFlow": ("keras", "tensorflow", "tf", "Sequential")}
# build_model returns a Keras model: it comes back described as data.
REGISTRATION = Registration(kernel_extensions=(KERAS,), banned=(NO_KERAS,))
