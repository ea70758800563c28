"""Hidden graders of assignment 06_object_detection."""

from convlab.registration import KERAS, Registration

NO_TENSORFLOW = {"TensorFlow/Keras": ("tf", "tensorflow", "keras")}
REGISTRATION = Registration(kernel_extensions=(KERAS,), banned=(NO_TENSORFLOW,))
