"""Hidden graders of assignment 05_keras_cnn (a convolutional network in TensorFlow/Keras)."""

from convlab.registration import KERAS, Registration

REGISTRATION = Registration(kernel_extensions=(KERAS,))  # its banned sklearn is checked in the code only
