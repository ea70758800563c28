"""Hidden graders of assignment 07_segmentation."""

from convlab.registration import KERAS, Registration

NO_TENSORFLOW = {"TensorFlow/Keras": ("tf", "tensorflow", "keras", "torch", "jax")}
NO_KERAS = {"Keras/TensorFlow": ("keras", "tensorflow", "tf", "Model", "count_params", "build_unet")}
REGISTRATION = Registration(kernel_extensions=(KERAS,), banned=(NO_TENSORFLOW, NO_KERAS))
