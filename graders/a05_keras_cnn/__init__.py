"""Hidden graders of assignment 05_keras_cnn (a convolutional network in TensorFlow/Keras)."""
